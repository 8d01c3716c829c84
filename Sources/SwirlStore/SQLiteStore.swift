import Foundation
import GRDB
import GRDBSQLite
import SwirlEngine
import SwirlSpec
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The default store: SQLite in WAL mode under `$SWIRL_HOME`, nodes as rows, an append-only event log.
public final class SQLiteStore: WorkflowStore, @unchecked Sendable {
    let db: DatabasePool
    /// The database file's path.
    let path: String
    /// Keeps the WAL short off the committing thread (see `WALCheckpointer`).
    let checkpointer: WALCheckpointer
    let encoder = WorkflowObject.storageEncoder()
    let decoder = WorkflowObject.storageDecoder()
    /// The workflows of this store's latest `submit`, by uid, with the manifest text stored for each: reading one
    /// back while its stored text is still that text gives the submitted value instead of decoding the text again
    /// (the controller of `submit --wait` adopts what the same process just stored; decoding a 1,000-task DAG's
    /// manifest took 17 ms, a 30,000-task one's half a second). Only the latest call's, so that a process that
    /// submits again and again does not keep every workflow it ever submitted.
    private let submitted = Mutex<[String: (text: String, workflow: Workflow)]>([:])

    /// The columns of a workflow row (`workflowColumns`), read out of GRDB's row so that another thread can
    /// decode them.
    struct WorkflowRow: Sendable {
        let uid: String, name: String, namespace: String, manifest: String, phase: String
        let message: String?, progress: String?, outputs: String?
        let createdAt: Double, startedAt: Double?, finishedAt: Double?

        init(_ row: Row) {
            uid = row["uid"]
            name = row["name"]
            namespace = row["namespace"]
            manifest = row["manifest"]
            phase = row["phase"]
            message = row["message"]
            progress = row["progress"]
            outputs = row["outputs"]
            createdAt = row["created_at"]
            startedAt = row["started_at"]
            finishedAt = row["finished_at"]
        }
    }

    /// The page cache of the connection that writes, in KiB.
    static let writerCacheKiB = 65536

    /// Opens (creating and migrating) the database file.
    public init(path: String) throws {
        self.path = path
        let checkpointer = WALCheckpointer(path: path)
        self.checkpointer = checkpointer
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoints run on a thread of their own, every 2 MB of WAL (`WALCheckpointer`), in place of SQLite's
            // automatic one inside a commit. The WAL file is kept to 64 MB after a checkpoint.
            checkpointer.install(on: db.sqliteConnection!)
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            // The writer's page cache holds a big transaction (the first commit of a 30,000-task DAG writes 15 MB
            // of nodes): with SQLite's default of 2 MB it spilled pages to the WAL mid-transaction and read them
            // back. Grown on demand; readers keep the default.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)") }
        }
        // Creating the file, switching it to WAL and migrating must happen once even when several commands
        // open a fresh store at the same moment: hold an exclusive lock on a side file meanwhile.
        let lockFD = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if lockFD >= 0 { flock(lockFD, LOCK_EX) }
        defer {
            if lockFD >= 0 {
                flock(lockFD, LOCK_UN)
                close(lockFD)
            }
        }
        db = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(db)
    }

    /// Checkpoints the WAL into the database and empties it, when it is larger than `limit` bytes and no other
    /// connection is in the way (it never waits for one). Meant for a process that is about to exit.
    ///
    /// The first process to open the database after the last one exited rebuilds the WAL's index by reading the
    /// whole WAL, and processes exit without closing (see the CLI's `CLIContext`), so the WAL is otherwise only
    /// emptied by the checkpoint every 64 MB: opening the database then read up to 64 MB, 55 ms, at the start of
    /// every command.
    public func truncateWAL(ifLargerThan limit: Int) {
        checkpointer.stop()
        var info = stat()
        guard stat(path + "-wal", &info) == 0, Int(info.st_size) > limit else { return }
        try? db.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA busy_timeout = 0")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = 30000") }
            _ = try? db.checkpoint(.truncate)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workflow (
                        uid TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, namespace TEXT NOT NULL,
                        manifest TEXT NOT NULL, phase TEXT NOT NULL, message TEXT,
                        created_at REAL NOT NULL, started_at REAL, finished_at REAL, progress TEXT, outputs TEXT,
                        lease_owner TEXT, lease_expires REAL);
                    CREATE INDEX workflow_phase ON workflow(phase);
                    CREATE TABLE node (
                        workflow_uid TEXT NOT NULL REFERENCES workflow(uid) ON DELETE CASCADE,
                        id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (workflow_uid, id)) WITHOUT ROWID;
                    CREATE TABLE event (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, workflow_uid TEXT NOT NULL, at REAL NOT NULL, data TEXT NOT NULL);
                    CREATE INDEX event_workflow ON event(workflow_uid);
                    CREATE TABLE command (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, workflow_uid TEXT NOT NULL, kind TEXT NOT NULL);
                    CREATE TABLE template (
                        kind TEXT NOT NULL, name TEXT NOT NULL, manifest TEXT NOT NULL, created_at REAL NOT NULL,
                        PRIMARY KEY (kind, name));
                    """)
        }
        migrator.registerMigration("v2-command-payload") { db in
            try db.execute(sql: "ALTER TABLE command ADD COLUMN payload TEXT")
        }
        migrator.registerMigration("v3-memo") { db in
            try db.execute(
                sql: """
                    CREATE TABLE memo (
                        cache TEXT NOT NULL, key TEXT NOT NULL, outputs TEXT NOT NULL, created_at REAL NOT NULL,
                        PRIMARY KEY (cache, key)) WITHOUT ROWID
                    """)
        }
        migrator.registerMigration("v4-sync") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sync_holder (
                        lock TEXT NOT NULL, holder TEXT NOT NULL, workflow_uid TEXT NOT NULL, PRIMARY KEY (lock, holder));
                    CREATE TABLE sync_waiter (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, lock TEXT NOT NULL, holder TEXT NOT NULL,
                        workflow_uid TEXT NOT NULL, UNIQUE (lock, holder));
                    """)
        }
        migrator.registerMigration("v5-manifest-table") { db in
            // The manifest leaves the workflow row: every commit updates that row (phase, progress), and SQLite
            // rewrites a whole record on update, so a big manifest was read and written again at every event.
            try db.execute(
                sql: """
                    CREATE TABLE workflow_manifest (
                        uid TEXT PRIMARY KEY REFERENCES workflow(uid) ON DELETE CASCADE, manifest TEXT NOT NULL);
                    INSERT INTO workflow_manifest (uid, manifest) SELECT uid, manifest FROM workflow;
                    ALTER TABLE workflow DROP COLUMN manifest;
                    """)
        }
        migrator.registerMigration("v6-event-by-workflow") { db in
            // The event log is appended to at every commit. Keyed by its row id with `AUTOINCREMENT` and indexed by
            // workflow, each append wrote three pages (the row, the index entry, `sqlite_sequence`); keyed by
            // workflow and a sequence number within it, one.
            try db.execute(
                sql: """
                    CREATE TABLE event_by_workflow (
                        workflow_uid TEXT NOT NULL, seq INTEGER NOT NULL, at REAL NOT NULL, data TEXT NOT NULL,
                        PRIMARY KEY (workflow_uid, seq)) WITHOUT ROWID;
                    INSERT INTO event_by_workflow (workflow_uid, seq, at, data)
                        SELECT workflow_uid, seq, at, data FROM event;
                    DROP TABLE event;
                    ALTER TABLE event_by_workflow RENAME TO event;
                    """)
        }
        return migrator
    }

    /// Appends one event to a workflow's log (arguments: uid, time, text), numbered after the workflow's last one.
    static let appendEvent = """
        INSERT INTO event (workflow_uid, seq, at, data) VALUES (?1,
            COALESCE((SELECT seq FROM event WHERE workflow_uid = ?1 ORDER BY seq DESC LIMIT 1), 0) + 1, ?2, ?3)
        """

    /// The workflow row with its manifest, for `stored(from:)`.
    static let workflowColumns = """
        SELECT workflow.*, workflow_manifest.manifest FROM workflow
        JOIN workflow_manifest ON workflow_manifest.uid = workflow.uid
        """

    func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    public func submit(_ workflow: Workflow, uid: String, createdAt: Date) throws {
        try submit([NewWorkflow(workflow: workflow, uid: uid, createdAt: createdAt)])
    }

    public func submit(_ workflows: [NewWorkflow]) throws {
        let rows = try workflows.map { ($0, try json($0.workflow)) }
        var current = ""
        do {
            try db.write { db in
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO workflow (uid, name, namespace, phase, created_at) VALUES (?, ?, ?, 'Pending', ?)
                        """)
                let insertManifest = try db.cachedStatement(
                    sql: "INSERT INTO workflow_manifest (uid, manifest) VALUES (?, ?)")
                let event = try db.cachedStatement(sql: Self.appendEvent)
                for (new, manifest) in rows {
                    current = new.workflow.metadata.name ?? new.uid
                    try insert.execute(arguments: [
                        new.uid, current, new.workflow.metadata.namespace ?? "default",
                        new.createdAt.timeIntervalSince1970,
                    ])
                    try insertManifest.execute(arguments: [new.uid, manifest])
                    try event.execute(arguments: [new.uid, new.createdAt.timeIntervalSince1970, "submitted"])
                }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError.alreadyExists(current)
        }
        let latest = Dictionary(rows.map { ($0.0.uid, (text: $0.1, workflow: $0.0.workflow)) }) { _, last in last }
        submitted.withLock { $0 = latest }
    }

    /// The workflow a stored manifest text decodes to: the submitted value when this store submitted exactly that
    /// text, else decoded.
    func decodeManifest(uid: String, text: String) throws -> Workflow {
        if let known = submitted.withLock({ $0[uid] }), known.text == text { return known.workflow }
        return try decode(Workflow.self, text)
    }

    func stored(from row: Row, nodes: [String: NodeStatus], templates: Bool = true) throws -> StoredWorkflow {
        try stored(from: WorkflowRow(row), nodes: nodes, templates: templates)
    }

    func stored(from row: WorkflowRow, nodes: [String: NodeStatus], templates: Bool = true) throws -> StoredWorkflow {
        var status = WorkflowStatus(phase: WorkflowPhase(rawValue: row.phase) ?? .unknown, nodes: nodes)
        status.message = row.message
        status.startedAt = row.startedAt.map(Date.init(timeIntervalSince1970:))
        status.finishedAt = row.finishedAt.map(Date.init(timeIntervalSince1970:))
        status.progress = row.progress
        if let outputs = row.outputs { status.outputs = try decode(Outputs.self, outputs) }
        var stored = StoredWorkflow(
            uid: row.uid, name: row.name, namespace: row.namespace,
            workflow: templates
                ? try decodeManifest(uid: row.uid, text: row.manifest)
                : try decode(Workflow.self, ManifestText.withoutTemplates(row.manifest)),
            createdAt: Date(timeIntervalSince1970: row.createdAt), status: status)
        stored.manifestJSON = row.manifest
        return stored
    }

    func load(_ db: Database, where clause: String, _ argument: String, templates: Bool = true) throws
        -> StoredWorkflow?
    {
        guard let (stored, list) = try loadList(db, where: clause, argument, templates: templates) else { return nil }
        var workflow = stored
        var nodes: [String: NodeStatus] = Dictionary(minimumCapacity: list.count)
        for (index, id) in list.ids.enumerated() { nodes[id] = list.nodes[index] }
        workflow.status.nodes = nodes
        return workflow
    }

    /// The workflow row (status without nodes) and its node rows, decoded.
    func loadList(_ db: Database, where clause: String, _ argument: String, templates: Bool) throws
        -> (StoredWorkflow, NodeList)?
    {
        // Cached: `clause` is one of two column names, and preparing `SELECT *` runs GRDB's authorizer per column.
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "\(Self.workflowColumns) WHERE workflow.\(clause) = ?"), arguments: [argument])
        else {
            return nil
        }
        let uid: String = row["uid"]
        // The manifest (its spec holds every DAG task: 5 MB for 100,000 of them) is decoded on another core while
        // the node rows are read.
        let values = WorkflowRow(row)
        let header = SideTask { [self] in try stored(from: values, nodes: [:], templates: templates) }
        // No `count(*)` first to size the arrays: node rows hold their JSON, so counting reads every page of them.
        let rows = NodeRowDecoder(decoder: decoder)
        // Only `data`: a row's key is its node's `id` (see `write`), taken from the decoded node on another core.
        try forEachNodeRow(db, uid: uid, columns: "data") { raw in
            // The row's bytes are appended to one buffer in place: no String per row.
            rows.append(Self.text(raw, column: 0))
        }
        let nodes = try rows.finish()
        // Through a buffer pointer: an array's subscript would copy each whole node to read its `id`.
        let ids = nodes.withUnsafeBufferPointer { nodes in ContiguousArray(nodes.indices.lazy.map { nodes[$0].id }) }
        return (try header.result(), NodeList(ids: ids, nodes: nodes))
    }

    public func workflowForJSON(named name: String) throws -> (workflow: StoredWorkflow, rows: StoredNodeRows)? {
        try db.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "\(Self.workflowColumns) WHERE workflow.name = ?"), arguments: [name])
            else { return nil }
            let uid: String = row["uid"]
            let values = WorkflowRow(row)
            let header = SideTask { [self] in try stored(from: values, nodes: [:], templates: false) }
            var rows = StoredNodeRows()
            try forEachNodeRow(db, uid: uid, columns: "id, data") { raw in
                rows.append(
                    id: String(decoding: Self.text(raw, column: 0), as: UTF8.self), json: Self.text(raw, column: 1))
            }
            return (try header.result(), rows)
        }
    }

    /// Steps through a workflow's node rows with SQLite's C API (GRDB's row cursor cost more per row than SQLite
    /// itself on big workflows), handing `row` the statement positioned on each.
    private func forEachNodeRow(
        _ db: Database, uid: String, columns: String, _ row: (OpaquePointer) throws -> Void
    ) throws {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM node WHERE workflow_uid = ?")
        try statement.setArguments([uid])
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            try row(raw)
        }
    }

    /// A text column's bytes, valid until the statement moves on (empty for NULL).
    private static func text(_ statement: OpaquePointer, column: Int32) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(
            start: sqlite3_column_text(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
    }

    public func workflowForDisplay(named name: String) throws -> (workflow: StoredWorkflow, nodes: NodeList)? {
        try db.read { try loadList($0, where: "name", name, templates: false) }
    }

    public func workflow(named name: String) throws -> StoredWorkflow? {
        try db.read { try load($0, where: "name", name) }
    }

    public func workflow(named name: String, templates: Bool) throws -> StoredWorkflow? {
        try db.read { try load($0, where: "name", name, templates: templates) }
    }

    public func workflowHeader(named name: String) throws -> StoredWorkflow? {
        try db.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "\(Self.workflowColumns) WHERE workflow.name = ?"), arguments: [name]
            )
            .map { try stored(from: $0, nodes: [:], templates: false) }
        }
    }

    public func outcomes(named names: [String]) throws -> [String: WorkflowOutcome] {
        try db.read { db in
            let statement = try db.cachedStatement(sql: "SELECT name, phase, finished_at FROM workflow WHERE name = ?")
            var found: [String: WorkflowOutcome] = [:]
            for name in names where found[name] == nil {
                guard let row = try Row.fetchOne(statement, arguments: [name]) else { continue }
                found[name] = WorkflowOutcome(
                    name: row["name"], phase: WorkflowPhase(rawValue: row["phase"]) ?? .unknown,
                    finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
            return found
        }
    }

    public func workflow(uid: String) throws -> StoredWorkflow? {
        try db.read { try load($0, where: "uid", uid) }
    }

    public func latestWorkflowName() throws -> String? {
        try db.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM workflow ORDER BY created_at DESC, name LIMIT 1")
        }
    }

    public func listWorkflows() throws -> [StoredWorkflow] {
        try listWorkflows(templates: true)
    }

    public func listWorkflows(templates: Bool) throws -> [StoredWorkflow] {
        try db.read { db in
            try Row.fetchAll(db, sql: "\(Self.workflowColumns) ORDER BY created_at DESC, name").map {
                try stored(from: $0, nodes: [:], templates: templates)
            }
        }
    }

    public func save(_ batch: StateBatch) throws {
        try save([batch])
    }

    public func save(_ batches: [StateBatch]) throws {
        guard !batches.isEmpty else { return }
        let encoded = try batches.map { batch in
            (
                // In key order: inserted in the order the engine created them (hash-named, so scattered over the
                // table's B-tree), the 30,000 nodes of a big DAG's first commit took a third longer.
                batch,
                try batch.changedNodes.sorted { $0.id < $1.id }.map { ($0.id, try NodeJSON.encode($0) ?? json($0)) },
                try batch.status.outputs.map { try json($0) }, try batch.manifest.map { try json($0) }
            )
        }
        // Cached statements, the transaction's too: this runs once per event batch (once per step of a running
        // workflow), and GRDB's `write` prepares `BEGIN` and `COMMIT` afresh each time: a third of this
        // function's time in a profile of 1,000 steps.
        try db.writeWithoutTransaction { db in
            try db.inCachedImmediateTransaction {
                for (batch, nodes, outputs, manifest) in encoded {
                    try write(batch, nodes: nodes, outputs: outputs, manifest: manifest, in: db)
                }
            }
        }
    }

    private func write(
        _ batch: StateBatch, nodes: [(String, String)], outputs: String?, manifest: String?, in db: Database
    ) throws {
        let status = batch.status
        if let manifest {
            try db.cachedStatement(sql: "UPDATE workflow_manifest SET manifest = ? WHERE uid = ?")
                .execute(arguments: [manifest, batch.uid])
        }
        if !batch.deletedNodeIDs.isEmpty {
            let delete = try db.cachedStatement(sql: "DELETE FROM node WHERE workflow_uid = ? AND id = ?")
            for id in batch.deletedNodeIDs { try delete.execute(arguments: [batch.uid, id]) }
        }
        // The phase only when it changed: SQLite rewrites an index entry for every indexed column an UPDATE sets,
        // even to the same value (a page of `workflow_phase` per commit).
        try db.cachedStatement(
            sql: batch.phaseUnchanged
                ? """
                UPDATE workflow SET message = ?2, started_at = ?3, finished_at = ?4, progress = ?5, outputs = ?6
                WHERE uid = ?7
                """
                : """
                UPDATE workflow SET phase = ?1, message = ?2, started_at = ?3, finished_at = ?4, progress = ?5,
                    outputs = ?6
                WHERE uid = ?7
                """
        ).execute(
            arguments: [
                status.phase.rawValue, status.message, status.startedAt?.timeIntervalSince1970,
                status.finishedAt?.timeIntervalSince1970, status.progress, outputs, batch.uid,
            ])
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO node (workflow_uid, id, data) VALUES (?, ?, ?)")
        for (id, data) in nodes { try statement.execute(arguments: [batch.uid, id, data]) }
        if let owner = batch.releasingLeaseOf {
            try db.cachedStatement(
                sql:
                    "UPDATE workflow SET lease_owner = NULL, lease_expires = NULL WHERE uid = ? AND lease_owner = ?"
            ).execute(arguments: [batch.uid, owner])
        }
        let now = Date().timeIntervalSince1970
        let eventStatement = try db.cachedStatement(sql: Self.appendEvent)
        for event in batch.events { try eventStatement.execute(arguments: [batch.uid, now, event]) }
    }

    public func acquireLease(uid: String, owner: String, until: Date, now: Date, replacing deadOwner: String?) throws
        -> Bool
    {
        try acquireLeases([uid: deadOwner], owner: owner, until: until, now: now).contains(uid)
    }

    public func acquireLeases(_ uids: [String: String?], owner: String, until: Date, now: Date) throws -> Set<String> {
        try db.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    UPDATE workflow SET lease_owner = ?, lease_expires = ?
                    WHERE uid = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires < ? OR lease_owner = ?)
                    """)
            var acquired = Set<String>()
            for (uid, deadOwner) in uids {
                try statement.execute(arguments: [
                    owner, until.timeIntervalSince1970, uid, owner, now.timeIntervalSince1970, deadOwner,
                ])
                if db.changesCount > 0 { acquired.insert(uid) }
            }
            return acquired
        }
    }

    public func renewLeases(uids: [String], owner: String, until: Date, now: Date) throws -> Set<String> {
        try db.write { db in
            var kept = Set<String>()
            let statement = try db.cachedStatement(
                sql: """
                    UPDATE workflow SET lease_owner = ?, lease_expires = ?
                    WHERE uid = ? AND (lease_owner = ? OR lease_owner IS NULL OR lease_expires < ?)
                    """)
            for uid in uids {
                try statement.execute(
                    arguments: [owner, until.timeIntervalSince1970, uid, owner, now.timeIntervalSince1970])
                if db.changesCount > 0 { kept.insert(uid) }
            }
            return kept
        }
    }

    public func releaseLease(uid: String, owner: String) throws {
        try db.write { db in
            try db.execute(
                sql: "UPDATE workflow SET lease_owner = NULL, lease_expires = NULL WHERE uid = ? AND lease_owner = ?",
                arguments: [uid, owner])
        }
    }

    public func unfinishedLeases() throws -> [LeaseInfo] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT uid, name, lease_owner, lease_expires FROM workflow
                    WHERE phase IN ('Pending', 'Running', '') ORDER BY created_at
                    """
            ).map {
                LeaseInfo(
                    uid: $0["uid"], name: $0["name"], owner: $0["lease_owner"],
                    expires: ($0["lease_expires"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    public func hasUnfinishedWorkflows() throws -> Bool {
        try db.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM workflow WHERE phase IN ('Pending', 'Running', ''))")
                ?? false
        }
    }

    public func deleteWorkflow(uid: String) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM node WHERE workflow_uid = ?", arguments: [uid])
            try db.execute(sql: "DELETE FROM event WHERE workflow_uid = ?", arguments: [uid])
            try db.execute(sql: "DELETE FROM command WHERE workflow_uid = ?", arguments: [uid])
            try db.execute(sql: "DELETE FROM sync_holder WHERE workflow_uid = ?", arguments: [uid])
            try db.execute(sql: "DELETE FROM sync_waiter WHERE workflow_uid = ?", arguments: [uid])
            try db.execute(sql: "DELETE FROM workflow_manifest WHERE uid = ?", arguments: [uid])
            try db.execute(sql: "DELETE FROM workflow WHERE uid = ?", arguments: [uid])
        }
    }

    public func enqueueCommand(uid: String, kind: String, payload: String?) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO command (workflow_uid, kind, payload) VALUES (?, ?, ?)",
                arguments: [uid, kind, payload])
        }
    }

    public func takeCommands(uid: String) throws -> [WorkflowCommand] {
        try takeCommands(uids: [uid])
    }

    public func takeCommands(uids: Set<String>) throws -> [WorkflowCommand] {
        try db.write { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, workflow_uid, kind, payload FROM command ORDER BY id"))
            let taken = rows.filter { uids.contains($0["workflow_uid"]) }
            let delete = try db.cachedStatement(sql: "DELETE FROM command WHERE id = ?")
            for row in taken { try delete.execute(arguments: [row["id"] as Int64]) }
            return taken.map {
                WorkflowCommand(id: $0["id"], uid: $0["workflow_uid"], kind: $0["kind"], payload: $0["payload"])
            }
        }
    }

    public func acquireLocks(holder: String, workflowUID: String, limits: [String: Int]) throws -> Bool {
        try db.write { db in
            var free = true
            for (lock, limit) in limits.sorted(by: { $0.key < $1.key }) {
                let held =
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS (SELECT 1 FROM sync_holder WHERE lock = ? AND holder = ?)",
                        arguments: [lock, holder]) ?? false
                if held { continue }
                let count =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sync_holder WHERE lock = ?", arguments: [lock]) ?? 0
                let first = try String.fetchOne(
                    db, sql: "SELECT holder FROM sync_waiter WHERE lock = ? ORDER BY seq LIMIT 1", arguments: [lock])
                if count >= limit || (first != nil && first != holder) { free = false }
            }
            if free {
                for lock in limits.keys {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO sync_holder (lock, holder, workflow_uid) VALUES (?, ?, ?)",
                        arguments: [lock, holder, workflowUID])
                }
                try db.execute(sql: "DELETE FROM sync_waiter WHERE holder = ?", arguments: [holder])
            } else {
                for lock in limits.keys {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO sync_waiter (lock, holder, workflow_uid) VALUES (?, ?, ?)",
                        arguments: [lock, holder, workflowUID])
                }
            }
            return free
        }
    }

    public func releaseLocks(holder: String) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM sync_holder WHERE holder = ?", arguments: [holder])
            try db.execute(sql: "DELETE FROM sync_waiter WHERE holder = ?", arguments: [holder])
        }
    }

    public func releaseLocks(workflowUID: String) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM sync_holder WHERE workflow_uid = ?", arguments: [workflowUID])
            try db.execute(sql: "DELETE FROM sync_waiter WHERE workflow_uid = ?", arguments: [workflowUID])
        }
    }

    public func memoized(cache: String, key: String, maxAge: Double?, now: Date) throws -> Outputs? {
        let row = try db.read { db in
            try Row.fetchOne(
                db, sql: "SELECT outputs, created_at FROM memo WHERE cache = ? AND key = ?", arguments: [cache, key])
        }
        guard let row else { return nil }
        if let maxAge, now.timeIntervalSince1970 - (row["created_at"] as Double) > maxAge { return nil }
        return try decode(Outputs.self, row["outputs"])
    }

    public func memoize(cache: String, key: String, outputs: Outputs, now: Date) throws {
        let text = try json(outputs)
        try db.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO memo (cache, key, outputs, created_at) VALUES (?, ?, ?, ?)",
                arguments: [cache, key, text, now.timeIntervalSince1970])
        }
    }

    public func putTemplate(kind: String, workflow: Workflow, now: Date) throws {
        let manifest = try json(workflow)
        try db.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO template (kind, name, manifest, created_at) VALUES (?, ?, ?, ?)",
                arguments: [kind, workflow.metadata.name ?? "", manifest, now.timeIntervalSince1970])
        }
    }

    func storedTemplate(_ row: Row) throws -> StoredTemplate {
        StoredTemplate(
            kind: row["kind"], name: row["name"], workflow: try decode(Workflow.self, row["manifest"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func template(kind: String, name: String) throws -> StoredTemplate? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM template WHERE kind = ? AND name = ?", arguments: [kind, name])
                .map(storedTemplate)
        }
    }

    public func listTemplates(kind: String) throws -> [StoredTemplate] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM template WHERE kind = ? ORDER BY name", arguments: [kind])
                .map(storedTemplate)
        }
    }

    public func deleteTemplate(kind: String, name: String) throws -> Bool {
        try db.write { db in
            try db.execute(sql: "DELETE FROM template WHERE kind = ? AND name = ?", arguments: [kind, name])
            return db.changesCount > 0
        }
    }
}

extension Database {
    /// Runs `body` in an immediate transaction whose `BEGIN` and `COMMIT` statements are prepared once per
    /// connection (GRDB's `write` and `inTransaction` prepare them on every call); rolls back when `body` or the
    /// commit throws.
    func inCachedImmediateTransaction(_ body: () throws -> Void) throws {
        try cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            try body()
            try cachedStatement(sql: "COMMIT TRANSACTION").execute()
        } catch {
            if isInsideTransaction { try? execute(sql: "ROLLBACK TRANSACTION") }
            throw error
        }
    }
}
