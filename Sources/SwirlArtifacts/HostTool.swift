import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the host's command-line tools (tar, gzip, zip, unzip, curl, git, cp) with `posix_spawn`.
///
/// Shelling out keeps the archive formats byte-for-byte what those tools (and Argo's Go code, which writes the same
/// formats) produce, and adds no package dependency. Each command's combined stdout and stderr go to a temporary
/// file that becomes part of the error when it fails. Standard input is `/dev/null`, so nothing ever prompts.
enum HostTool {
    /// The Debian package that provides each tool, for the install hint.
    static let packages = [
        "tar": "tar", "gzip": "gzip", "zip": "zip", "unzip": "unzip", "curl": "curl",
        "git": "git", "cp": "coreutils", "sh": "dash",
    ]

    /// Finds `name` on `PATH` or in the usual system directories.
    static func path(of name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories =
            path.split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for directory in directories where directory.hasPrefix("/") {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw ArtifactError.toolMissing(name, package: packages[name] ?? name)
    }

    /// Runs `tool` with `arguments`, optionally in `directory`, and returns its output.
    /// - Throws: `ArtifactError.toolMissing` or `ArtifactError.commandFailed` (with the last lines of output).
    @discardableResult
    static func run(
        _ tool: String, _ arguments: [String], in directory: URL? = nil,
        environment extra: [String: String] = [:]
    ) throws -> String {
        var argv = [try path(of: tool)] + arguments
        if let directory {
            // posix_spawn has no portable chdir action: let the shell change directory, then exec the tool.
            argv = [try path(of: "sh"), "-c", "cd -- \"$1\" && shift && exec \"$@\"", "sh", directory.path] + argv
        }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("swirl-artifact-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).log")
        defer { unlink(log.path) }
        let status = try spawnAndWait(argv, environment: environment, output: log.path)
        let output = (try? Data(contentsOf: log)).map { String(decoding: $0.suffix(4096), as: UTF8.self) } ?? ""
        guard status == 0 else {
            let shown = ([tool] + arguments).joined(separator: " ")
            throw ArtifactError.commandFailed(command: shown, status: status, output: output)
        }
        return output
    }

    /// Spawns `argv` with stdout and stderr appended to `output` and returns its exit status (128 + signal when
    /// killed).
    private static func spawnAndWait(_ argv: [String], environment: [String: String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The supervisor ignores SIGPIPE and SIGHUP; its tools must not inherit that.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGHUP, SIGTERM, SIGINT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgv, cEnv)
        guard rc == 0 else {
            throw ArtifactError.io(path: argv[0], reason: "could not start: \(String(cString: strerror(rc)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw ArtifactError.io(path: argv[0], reason: "waitpid failed: \(String(cString: strerror(errno)))")
            }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
