import Foundation
import SwirlController
import SwirlStore

#if canImport(Glibc)
    import Glibc
#endif

/// The detached controller a plain `swirl submit` leaves behind (it exits once idle), found by its lock file.
enum BackgroundController {
    /// True when a controller process holds this home's controller lock.
    static func isAlive(_ home: SwirlHome) -> Bool {
        let fd = open(home.controllerLock.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }

    /// Takes the controller lock for the life of this process; false when another controller holds it.
    static func takeLock(_ home: SwirlHome) -> Bool {
        let fd = open(home.controllerLock.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }  // fd stays open: the lock lives as long as we do
        close(fd)
        return false
    }

    /// Starts `swirl controller --exit-when-idle` in its own session unless one is running.
    static func ensureRunning(_ home: SwirlHome) throws {
        if isAlive(home) { return }
        try spawnDetached(
            [CLIContext.executablePath, "controller", "--exit-when-idle"], log: home.controllerLog.path)
    }

    /// Spawns a process in a new session with stdin from /dev/null and output to `log`; does not wait for it.
    static func spawnDetached(_ argv: [String], log: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The controller must not keep the caller's descriptors (pipes a caller waits on would never close).
        for fd in 3..<Int32(4096) where fcntl(fd, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80))  // POSIX_SPAWN_SETSID
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for arg in cArgs { free(arg) } }
        let status = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, environ)
        guard status == 0 else {
            throw CLIError("cannot start the background controller: \(String(cString: strerror(status)))")
        }
    }
}
