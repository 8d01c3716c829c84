import Foundation
import GRDB
import SwirlEngine
import SwirlSpec
import SwirlStore
import Testing

/// The manifest lives in its own table, so the commit of an event does not read and write it again: the cost of a
/// commit must not grow with the size of the workflow's spec.
@Suite struct ManifestTableTests {
    /// A workflow whose manifest is about `kilobytes` KB (a long list of DAG tasks).
    func bigWorkflow(name: String, kilobytes: Int) throws -> Workflow {
        let tasks = (0..<(kilobytes * 1024 / 64)).map { "          - {name: task-number-\($0), template: echo}" }
        let yaml = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {generateName: big-}
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
            \(tasks.joined(separator: "\n"))
              - name: echo
                container: {image: alpine, command: [echo]}
            """
        return try loadWorkflow(yaml, name: name)
    }

    func walSize(_ temp: TempStore) -> Int {
        let path = temp.directory.appendingPathComponent("swirl.db-wal").path
        return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    @Test func committingEventsDoesNotRewriteTheManifest() throws {
        let temp = try TempStore()
        try temp.store.submit(try bigWorkflow(name: "big", kilobytes: 1024), uid: "u1", createdAt: t0)
        let afterSubmit = walSize(temp)
        #expect(afterSubmit > 500_000, "the manifest went through the WAL once")
        var status = WorkflowStatus(phase: .running)
        for step in 0..<10 {
            status.progress = "\(step)/4096"
            let node = NodeStatus(
                id: "big-\(step)", name: "big.t\(step)", displayName: "t\(step)", type: .pod, phase: .running)
            status.nodes[node.id] = node
            try temp.store.save(StateBatch(uid: "u1", status: status, changedNodes: [node], events: ["step \(step)"]))
        }
        // Ten commits of a few small rows each: tens of KB of WAL, not ten copies of a megabyte.
        #expect(walSize(temp) - afterSubmit < 1_000_000, "WAL grew by \(walSize(temp) - afterSubmit) bytes")
        let stored = try #require(try temp.store.workflow(uid: "u1"))
        #expect(stored.status.progress == "9/4096")
        #expect(stored.workflow.spec.templates?.first?.dag?.tasks.count == 1024 * 1024 / 64)
    }

    @Test func aLargeWALIsEmptiedAtExitAndASmallOneKept() throws {
        let temp = try TempStore()
        try temp.store.submit(try bigWorkflow(name: "big", kilobytes: 256), uid: "u1", createdAt: t0)
        let small = walSize(temp)
        #expect(small > 200_000)
        temp.store.truncateWAL(ifLargerThan: small)
        #expect(walSize(temp) == small, "a WAL within the limit is left alone")
        temp.store.truncateWAL(ifLargerThan: 100_000)
        #expect(walSize(temp) == 0, "checkpointed into the database and emptied")
        // Nothing was lost, for this connection and for a new one (the next command).
        #expect(try temp.store.workflow(uid: "u1")?.workflow.spec.templates?.first?.dag?.tasks.count == 256 * 1024 / 64)
        #expect(try temp.reopen().workflow(uid: "u1")?.name == "big")
    }

    @Test func emptyingTheWALNeverWaitsForAnotherConnection() throws {
        let temp = try TempStore()
        try temp.store.submit(try bigWorkflow(name: "big", kilobytes: 256), uid: "u1", createdAt: t0)
        let before = walSize(temp)
        // Another process's connection in the middle of a write transaction: a truncating checkpoint cannot run.
        let other = try DatabaseQueue(path: temp.directory.appendingPathComponent("swirl.db").path)
        try other.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let started = Date()
            temp.store.truncateWAL(ifLargerThan: 0)
            #expect(Date().timeIntervalSince(started) < 5, "gave up at once instead of waiting for the busy timeout")
            try db.execute(sql: "ROLLBACK")
        }
        #expect(walSize(temp) >= before, "left for a later command")
        temp.store.truncateWAL(ifLargerThan: 0)
        #expect(walSize(temp) == 0)
    }

    @Test func aVersion4DatabaseIsMigrated() throws {
        let temp = try TempStore()
        let path = temp.directory.appendingPathComponent("old.db").path
        let manifest = String(
            decoding: try WorkflowObject.storageEncoder().encode(try loadWorkflow(sampleYAML, name: "old")),
            as: UTF8.self)
        // The layout before `v5-manifest-table`: the manifest in the workflow row.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1'), ('v2-command-payload'), ('v3-memo'), ('v4-sync');
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
                    CREATE TABLE command (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, workflow_uid TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT);
                    CREATE TABLE template (
                        kind TEXT NOT NULL, name TEXT NOT NULL, manifest TEXT NOT NULL, created_at REAL NOT NULL,
                        PRIMARY KEY (kind, name));
                    CREATE TABLE memo (
                        cache TEXT NOT NULL, key TEXT NOT NULL, outputs TEXT NOT NULL, created_at REAL NOT NULL,
                        PRIMARY KEY (cache, key)) WITHOUT ROWID;
                    CREATE TABLE sync_holder (
                        lock TEXT NOT NULL, holder TEXT NOT NULL, workflow_uid TEXT NOT NULL, PRIMARY KEY (lock, holder));
                    CREATE TABLE sync_waiter (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, lock TEXT NOT NULL, holder TEXT NOT NULL,
                        workflow_uid TEXT NOT NULL, UNIQUE (lock, holder));
                    """)
            try db.execute(
                sql: """
                    INSERT INTO workflow (uid, name, namespace, manifest, phase, created_at, progress)
                    VALUES ('u-old', 'old', 'default', ?, 'Succeeded', ?, '3/3')
                    """, arguments: [manifest, t0.timeIntervalSince1970])
            try db.execute(
                sql:
                    "INSERT INTO event (workflow_uid, at, data) VALUES ('u-old', 1, 'submitted'), ('u-old', 2, 'start')"
            )
        }
        try queue.close()

        let store = try SQLiteStore(path: path)
        let stored = try #require(try store.workflow(named: "old"))
        #expect(stored.uid == "u-old")
        #expect(stored.status.phase == .succeeded)
        #expect(stored.status.progress == "3/3")
        #expect(stored.workflow.spec.entrypoint == "main")
        #expect(stored.workflow.spec.templates?.count == 2)
        #expect(try store.listWorkflows().map(\.name) == ["old"])
        try store.submit(try loadWorkflow(sampleYAML, name: "new"), uid: "u-new", createdAt: t0.addingTimeInterval(1))
        #expect(try store.listWorkflows().map(\.name) == ["new", "old"])
        // The event log moved to its per-workflow key (`v6-event-by-workflow`) with its rows.
        let events = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT workflow_uid, seq, data FROM event ORDER BY workflow_uid, seq").map {
                "\($0["workflow_uid"] as String) \($0["seq"] as Int) \($0["data"] as String)"
            }
        }
        #expect(events == ["u-new 1 submitted", "u-old 1 submitted", "u-old 2 start"])
        try store.deleteWorkflow(uid: "u-old")
        #expect(try store.workflow(named: "old") == nil)
    }
}
