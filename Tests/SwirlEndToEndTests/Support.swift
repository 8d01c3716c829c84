import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// End-to-end helpers: every test drives the real `swirl` binary as a subprocess against its own `$SWIRL_HOME`.

/// The package root: three levels up from this file (`Tests/SwirlEndToEndTests/Support.swift`).
let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `Tests/Fixtures/e2e`.
let fixturesDirectory = packageRoot.appendingPathComponent("Tests/Fixtures/e2e", isDirectory: true)

func fixture(_ name: String) -> URL { fixturesDirectory.appendingPathComponent(name) }

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `$SWIRL_BINARY`, else `.build/debug/swirl` under the package root.
func swirlBinary() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["SWIRL_BINARY"], !path.isEmpty {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw E2EError("SWIRL_BINARY=\(path) is not an executable file")
        }
        return URL(fileURLWithPath: path)
    }
    let url = packageRoot.appendingPathComponent(".build/debug/swirl")
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
        throw E2EError("swirl binary not found at \(url.path): run `swift build` first (or set SWIRL_BINARY)")
    }
    return url
}

struct CommandResult: CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let exitedNormally: Bool
    let timedOut: Bool
    let stdout: String
    let stderr: String
    let seconds: Double

    var succeeded: Bool { exitedNormally && status == 0 && !timedOut }
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String {
        "swirl \(arguments.joined(separator: " ")) → \(exitedNormally ? "exit" : "signal") \(status)"
            + "\(timedOut ? " (timed out)" : "") in \(String(format: "%.1f", seconds))s\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which the Glibc module does not import.
private let addChdirAction:
    (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            return nil
        }
        return unsafeBitCast(
            symbol,
            to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

/// A running `swirl` subprocess with its output going to files (no pipe deadlocks).
///
/// Spawned with `posix_spawn` and reaped with `waitpid` rather than Foundation's `Process`: on Linux, `Process`
/// learns of the exit through a socket the child inherits, so it would also wait for any daemon the child leaves
/// behind holding that socket (the background controller does).
final class RunningCommand: @unchecked Sendable {
    let pid: pid_t
    let arguments: [String]
    let stdoutURL: URL
    let stderrURL: URL
    let started = Date()
    private var waitStatus: Int32?

    /// `inheritedFD`: a descriptor of ours that the child gets as fd 3 (everything else of ours is not passed on
    /// except what lacks close-on-exec).
    init(
        executable: String, arguments: [String], environment: [String: String], directory: String,
        stdoutURL: URL, stderrURL: URL, inheritedFD: Int32? = nil
    ) throws {
        self.arguments = arguments
        self.stdoutURL = stdoutURL
        self.stderrURL = stderrURL
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let fd = inheritedFD { posix_spawn_file_actions_adddup2(&actions, fd, 3) }
        guard let addchdir = addChdirAction else { throw E2EError("glibc lacks posix_spawn_file_actions_addchdir_np") }
        _ = addchdir(&actions, directory)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw E2EError("posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        pid = child
    }

    /// SIGKILL this one process (not its group).
    func kill9() { _ = kill(pid, SIGKILL) }

    /// True once the process has exited (and been reaped).
    var hasExited: Bool {
        if waitStatus != nil { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { waitStatus = status }
        return waitStatus != nil
    }

    /// Waits for exit, killing it after `timeout` seconds.
    func finish(timeout: Double) -> CommandResult {
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while !hasExited {
            if Date() > deadline {
                timedOut = true
                kill9()
                var status: Int32 = 0
                if waitpid(pid, &status, 0) == pid { waitStatus = status }
                break
            }
            usleep(20_000)
        }
        let seconds = Date().timeIntervalSince(started)
        let status = waitStatus ?? 0
        let signal = status & 0x7f
        let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: stdoutURL)
        try? FileManager.default.removeItem(at: stderrURL)
        return CommandResult(
            arguments: arguments, status: signal == 0 ? (status >> 8) & 0xff : signal,
            exitedNormally: signal == 0, timedOut: timedOut, stdout: out, stderr: err, seconds: seconds)
    }
}

/// A throwaway `$SWIRL_HOME` plus a scratch directory for host-side files.
final class SwirlHome: @unchecked Sendable {
    let home: URL
    let scratch: URL
    let binary: URL
    /// One line per `poll` attempt, for failure messages.
    var pollLog: [String] = []

    /// `initialize`: run `swirl list` once so the store exists before a test races commands against each other
    /// (concurrent first opens of a fresh store are tested on their own in `StoreConcurrencyTests`).
    init(initialize: Bool = true) throws {
        binary = try swirlBinary()
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("swirl-e2e-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        home = base.appendingPathComponent("home", isDirectory: true)
        scratch = base.appendingPathComponent("scratch", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        if initialize {
            let list = try run(["list"], timeout: 20)
            if !list.succeeded { Issue.record("creating the store failed: \(list)") }
        }
    }

    /// Starts `swirl ARGS…` with `SWIRL_HOME` set, in the package root.
    func start(_ arguments: [String], inheritedFD: Int32? = nil) throws -> RunningCommand {
        var environment = ProcessInfo.processInfo.environment
        environment["SWIRL_HOME"] = home.path
        let tag = UUID().uuidString.prefix(8)
        return try RunningCommand(
            executable: binary.path, arguments: arguments, environment: environment, directory: packageRoot.path,
            stdoutURL: scratch.appendingPathComponent(".out-\(tag)"),
            stderrURL: scratch.appendingPathComponent(".err-\(tag)"), inheritedFD: inheritedFD)
    }

    /// Runs `swirl ARGS…` to completion (killed after `timeout` seconds).
    @discardableResult
    func run(_ arguments: [String], timeout: Double = 60) throws -> CommandResult {
        try start(arguments).finish(timeout: timeout)
    }

    /// `swirl get NAME -o json`, parsed; nil when the command fails.
    func workflow(_ name: String) throws -> Workflow? {
        let result = try run(["get", name, "-o", "json"], timeout: 20)
        guard result.succeeded else { return nil }
        return try Workflow(json: result.stdout)
    }

    /// Polls `get -o json` until `condition` holds, up to `timeout` seconds; returns the last state seen.
    func poll(
        _ name: String, timeout: Double, every interval: Double = 0.1, stopIf: () -> Bool = { false },
        until condition: (Workflow) -> Bool
    ) throws -> Workflow? {
        let deadline = Date().addingTimeInterval(timeout)
        var last: Workflow?
        while Date() < deadline {
            let result = try run(["get", name, "-o", "json"], timeout: 20)
            pollLog.append(
                String(format: "%.2f ", Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 100))
                    + (result.succeeded
                        ? (try? Workflow(json: result.stdout)).map { wf in
                            (wf.phase ?? "-") + " "
                                + wf.nodes.map { "\($0.displayName)=\($0.phase)" }.sorted().joined(separator: ",")
                        } ?? "bad json" : "FAILED \(result.status) \(result.stderr)"))
            if result.succeeded, let wf = try? Workflow(json: result.stdout) {
                last = wf
                if condition(wf) { return wf }
            }
            if stopIf() { return last }
            usleep(UInt32(interval * 1_000_000))
        }
        return last
    }

    /// A fixture copied into the scratch directory with `placeholder` → `value` substitutions.
    func instantiate(_ name: String, _ substitutions: [String: String]) throws -> URL {
        var text = try String(contentsOf: fixture(name), encoding: .utf8)
        for (key, value) in substitutions { text = text.replacingOccurrences(of: key, with: value) }
        let url = scratch.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A fresh directory on the host (for hostPath volumes).
    func hostDirectory(_ name: String) throws -> URL {
        let url = scratch.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `manifest` to `FILE.yaml` in the scratch directory, submits it with `--wait`, expects the run to fail
    /// (a step that fails on purpose, to be retried or resubmitted), and returns the workflow's name.
    func submitExpectingFailure(_ manifest: String, file name: String) throws -> String {
        let file = scratch.appendingPathComponent("\(name).yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        let first = try run(["submit", file.path, "--wait", "-o", "name"])
        #expect(first.exitedNormally && first.status != 0, "the first run fails: \(first)")
        return try #require(first.stdoutLines.first)
    }

    /// PIDs of live processes whose command line or environment mentions this home (controllers, supervisors, bwrap).
    func processes() -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let needle = Array(home.path.utf8)
        var pids: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), pid != getpid() else { continue }
            for file in ["cmdline", "environ"] {
                guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/\(file)") else { continue }
                if Array(data).firstRange(of: needle) != nil {
                    // Skip zombies: they are done, only not yet reaped.
                    if let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                        let close = stat.lastIndex(of: ")"),
                        stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
                    {
                        break
                    }
                    pids.append(pid)
                    break
                }
            }
        }
        return pids
    }

    /// Waits for every process of this home to exit (up to `timeout`), reports and kills leftovers, removes the directories.
    func cleanup(timeout: Double = 10) {
        let deadline = Date().addingTimeInterval(timeout)
        var left = processes()
        while !left.isEmpty, Date() < deadline {
            usleep(100_000)
            left = processes()
        }
        if !left.isEmpty {
            let commands = left.map { pid in
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                return "\(pid): " + String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            }
            Issue.record("processes still running \(timeout)s after the test:\n\(commands.joined(separator: "\n"))")
            for pid in left { _ = kill(pid, SIGKILL) }
            usleep(200_000)
        }
        try? FileManager.default.removeItem(at: home.deletingLastPathComponent())
    }
}

/// Runs `body` with a fresh home, cleaning it up afterwards.
func withSwirlHome<T>(initialize: Bool = true, _ body: (SwirlHome) throws -> T) throws -> T {
    let home = try SwirlHome(initialize: initialize)
    defer { home.cleanup() }
    return try body(home)
}

/// The parts of a `get -o json` / `submit -o json` document the tests look at.
struct Workflow {
    let raw: [String: Any]

    init(json: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw E2EError("not a JSON object: \(json.prefix(200))")
        }
        raw = object
    }

    var metadata: [String: Any] { raw["metadata"] as? [String: Any] ?? [:] }
    var name: String { metadata["name"] as? String ?? "" }
    var status: [String: Any] { raw["status"] as? [String: Any] ?? [:] }
    var phase: String? { status["phase"] as? String }
    var message: String? { status["message"] as? String }
    var nodesByID: [String: [String: Any]] { status["nodes"] as? [String: [String: Any]] ?? [:] }
    var nodes: [Node] { nodesByID.map { Node(id: $0.key, raw: $0.value) } }
    var podNodes: [Node] { nodes.filter { $0.type == "Pod" } }

    func node(_ displayName: String) -> Node? { nodes.first { $0.displayName == displayName } }
    var isFinished: Bool { ["Succeeded", "Failed", "Error"].contains(phase ?? "") }
}

struct Node {
    let id: String
    let raw: [String: Any]
    var displayName: String { raw["displayName"] as? String ?? "" }
    var type: String { raw["type"] as? String ?? "" }
    var phase: String { raw["phase"] as? String ?? "" }
    var message: String { raw["message"] as? String ?? "" }
    var podName: String { raw["podName"] as? String ?? "" }
    var startedAt: String { raw["startedAt"] as? String ?? "" }
    /// `startedAt` parsed (with or without fractional seconds).
    var started: Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: startedAt) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: startedAt)
    }
    var children: [String] { raw["children"] as? [String] ?? [] }
    var outputs: [String: Any] { raw["outputs"] as? [String: Any] ?? [:] }
    var result: String? { outputs["result"] as? String }
    var exitCode: String? { outputs["exitCode"] as? String }
    func outputParameter(_ name: String) -> String? {
        let parameters = outputs["parameters"] as? [[String: Any]] ?? []
        return parameters.first { $0["name"] as? String == name }?["value"] as? String
    }
}

/// Lines of a host file (empty when missing).
func lines(of url: URL) -> [String] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").map(String.init)
}

/// A script template `gen` that appends "ran" to `/out/gen.log` (so a test counts its runs) and prints `from-gen`,
/// with the workflow volume `out` at `/out`.
let genScriptTemplate = """
      - name: gen
        script:
          image: alpine:latest
          command: [sh]
          source: |
            echo ran >> /out/gen.log
            echo from-gen
          volumeMounts: [{name: out, mountPath: /out}]
    """
