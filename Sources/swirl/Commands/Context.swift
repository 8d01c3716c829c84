import Foundation
import SwirlController
import SwirlEngine
import SwirlExecutor
import SwirlStore
import Synchronization

/// What every command needs: the home directory, its store, and the executor.
struct CLIContext {
    let home: SwirlHome
    let store: SQLiteStore
    let layout: SandboxLayout

    init() throws {
        home = SwirlHome()
        try home.prepare()
        store = try SQLiteStore(path: home.databasePath)
        layout = SandboxLayout(home: home.url)
        Self.keptOpen.withLock { $0.append(store) }
        Self.registerExitHook
    }

    /// Past this size, a command empties the WAL as it exits (see `SQLiteStore.truncateWAL`): reading a WAL of
    /// this size when the next command opens the database costs about a millisecond.
    static let walLimitAtExit = 1 << 20

    private static let registerExitHook: Void = {
        atexit {
            for store in CLIContext.keptOpen.withLock({ $0 }) { store.truncateWAL(ifLargerThan: walLimitAtExit) }
        }
    }()

    /// Every store a command opened, kept until the process exits and never closed: closing the last connection
    /// checkpoints the WAL into the database with two `fdatasync`s, several milliseconds at the end of every
    /// command. Exiting without closing loses nothing (each commit is already in the WAL, which the next opener
    /// reads), exactly as when a command is killed. Only a WAL past `walLimitAtExit` is emptied at exit.
    private static let keptOpen = Mutex<[SQLiteStore]>([])

    /// Keeps a large value alive until the process exits, so that it is never freed piece by piece: freeing a
    /// 100,000-node workflow took a tenth of `swirl get`'s time, and the process is about to end anyway.
    static func keepUntilExit(_ value: any Sendable) { keptValues.withLock { $0.append(value) } }
    private static let keptValues = Mutex<[any Sendable]>([])

    /// The path of this very binary, for the supervisor and the background controller.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    func makeExecutor() -> SandboxExecutor {
        SandboxExecutor(layout: layout, supervisorCommand: [Self.executablePath, "__supervise"])
    }

    func makeController(scope: Controller.Scope) -> Controller {
        Controller(store: store, executor: makeExecutor(), home: home, layout: layout, scope: scope)
    }

    /// A workflow by name, or a clear error.
    /// The workflow called `name` (`@latest`: the newest); `templates: false` leaves `spec.templates` empty.
    func workflow(named name: String, templates: Bool = true) throws -> StoredWorkflow {
        // `@latest` is resolved to a name first: listing decodes every workflow's whole manifest.
        var name = name
        if name == "@latest", let latest = try store.latestWorkflowName() { name = latest }
        guard let stored = try store.workflow(named: name, templates: templates) else { throw try notFound(name) }
        return stored
    }

    /// The workflow without templates and its node rows as stored, for `get -o json`.
    func workflowForJSON(named name: String) throws -> (workflow: StoredWorkflow, rows: StoredNodeRows) {
        var name = name
        if name == "@latest", let latest = try store.latestWorkflowName() { name = latest }
        guard let found = try store.workflowForJSON(named: name) else { throw try notFound(name) }
        return found
    }

    /// The workflow without templates and its nodes as a list, for drawing its node table.
    func workflowForDisplay(named name: String) throws -> (workflow: StoredWorkflow, nodes: NodeList) {
        var name = name
        if name == "@latest", let latest = try store.latestWorkflowName() { name = latest }
        guard let found = try store.workflowForDisplay(named: name) else { throw try notFound(name) }
        return found
    }

    private func notFound(_ name: String) throws -> CLIError {
        let names = try store.listWorkflows(templates: false).map(\.name)
        let hint =
            names.filter { editDistance($0, name) <= max(2, name.count / 3) }
            .min { editDistance($0, name) < editDistance($1, name) }.map { ", did you mean '\($0)'?" } ?? ""
        return CLIError("workflow '\(name)' not found\(hint)")
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
