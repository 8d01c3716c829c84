import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Spawns processes with `posix_spawn`, wiring standard descriptors straight to files (no Swift buffers in between).
enum ProcessLauncher {
    /// How the child relates to the caller's session and process group.
    enum Grouping {
        case inherit
        /// A new process group whose id is the child's pid, so the whole tree can be signalled.
        case newProcessGroup
        /// A new session (`setsid`), so the child survives its parent's terminal and group.
        case newSession
    }

    /// A file descriptor source for stdin/stdout/stderr of the child.
    enum Stream {
        case devNull
        /// Opened for appending, created if missing.
        case append(LocalPath)
        /// Truncated, created if missing.
        case truncate(LocalPath)
    }

    /// `glibc`'s `POSIX_SPAWN_SETSID` (hidden from Swift without `_GNU_SOURCE`).
    private static let spawnSetSID: Int32 = 0x80

    /// Spawns `argv[0]` (an absolute path) and returns its pid.
    static func spawn(
        _ argv: [String], environment: [String: String], stdin: Stream = .devNull, stdout: Stream, stderr: Stream,
        grouping: Grouping
    ) throws -> pid_t {
        guard let executable = argv.first, executable.hasPrefix("/") else {
            throw ExecutorError.launchFailed(command: argv, errno: ENOENT)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .devNull:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case .append(let url):
                posix_spawn_file_actions_addopen(&actions, fd, url.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .truncate(let url):
                posix_spawn_file_actions_addopen(&actions, fd, url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            }
        }
        if let closeFrom = closeFromAction {
            _ = closeFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        switch grouping {
        case .inherit: break
        case .newProcessGroup:
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        case .newSession:
            flags |= spawnSetSID
        }
        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: flags))
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnv)
        if rc != 0 { throw ExecutorError.launchFailed(command: argv, errno: rc) }
        return pid
    }

    /// Waits for `pid` (retrying on EINTR) and returns its raw wait status, or nil if it cannot be waited for.
    static func wait(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let rc = waitpid(pid, &status, 0)
            if rc == pid { return status }
            if rc < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34), looked up at run time because Swift's Glibc
    /// module does not declare it; closing inherited descriptors keeps controller files out of long-lived steps.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFromAction: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// `which`, remembering what it found (a search costs a dozen `access` calls, and the sandbox tools are looked up
    /// for every step). Misses are not remembered, so a tool installed later is still found.
    static func cachedWhich(_ name: String, path: String?) -> String? {
        let key = name + "\u{0}" + (path ?? "")
        if let found = foundTools.withLock({ $0[key] }) { return found }
        guard let found = which(name, path: path) else { return nil }
        foundTools.withLock { $0[key] = found }
        return found
    }

    private static let foundTools = Mutex<[String: String]>([:])

    /// Finds an executable by name on `PATH` (or the usual system directories).
    static func which(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.hasPrefix("/") { return access(name, X_OK) == 0 ? name : nil }
        let directories =
            (path ?? "").split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// Decodes a raw `waitpid` status the way a shell reports it.
struct WaitStatus: Equatable {
    let raw: Int32

    var exitCode: Int32? { (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : nil }
    var signal: Int32? {
        let sig = raw & 0x7f
        return sig != 0 && sig != 0x7f ? sig : nil
    }
    /// The shell convention: the exit code, or 128 + signal.
    var shellCode: Int32 { exitCode ?? (128 + (signal ?? 0)) }
}
