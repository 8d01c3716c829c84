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

/// A running `swirl` subprocess with its output going to files (no pipe deadlocks).
final class RunningCommand: @unchecked Sendable {
    let process: Process
    let arguments: [String]
    let stdoutURL: URL
    let stderrURL: URL
    let started = Date()

    init(process: Process, arguments: [String], stdoutURL: URL, stderrURL: URL) {
        self.process = process
        self.arguments = arguments
        self.stdoutURL = stdoutURL
        self.stderrURL = stderrURL
    }

    var pid: Int32 { process.processIdentifier }

    /// SIGKILL this one process (not its group).
    func kill9() { _ = kill(process.processIdentifier, SIGKILL) }

    /// Waits for exit, killing it after `timeout` seconds.
    func finish(timeout: Double) -> CommandResult {
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill9()
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: stdoutURL)
        try? FileManager.default.removeItem(at: stderrURL)
        return CommandResult(
            arguments: arguments, status: process.terminationStatus,
            exitedNormally: process.terminationReason == .exit, timedOut: timedOut, stdout: out, stderr: err,
            seconds: Date().timeIntervalSince(started))
    }
}

/// A throwaway `$SWIRL_HOME` plus a scratch directory for host-side files.
final class SwirlHome: @unchecked Sendable {
    let home: URL
    let scratch: URL
    let binary: URL

    init() throws {
        binary = try swirlBinary()
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("swirl-e2e-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        home = base.appendingPathComponent("home", isDirectory: true)
        scratch = base.appendingPathComponent("scratch", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// Starts `swirl ARGS…` with `SWIRL_HOME` set, in the package root.
    func start(_ arguments: [String]) throws -> RunningCommand {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["SWIRL_HOME"] = home.path
        process.environment = environment
        let tag = UUID().uuidString.prefix(8)
        let out = scratch.appendingPathComponent(".out-\(tag)")
        let err = scratch.appendingPathComponent(".err-\(tag)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningCommand(process: process, arguments: arguments, stdoutURL: out, stderrURL: err)
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
    func poll(_ name: String, timeout: Double, every interval: Double = 0.1, until condition: (Workflow) -> Bool)
        throws -> Workflow?
    {
        let deadline = Date().addingTimeInterval(timeout)
        var last: Workflow?
        while Date() < deadline {
            if let wf = try workflow(name) {
                last = wf
                if condition(wf) { return wf }
            }
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
func withSwirlHome<T>(_ body: (SwirlHome) throws -> T) throws -> T {
    let home = try SwirlHome()
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
