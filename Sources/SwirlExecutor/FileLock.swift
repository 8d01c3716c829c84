import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on a file: the supervisor holds one for its whole life, observers probe it.
final class FileLock {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock without waiting.
    /// - Returns: nil when another open file description holds it.
    static func tryAcquire(_ url: LocalPath) throws -> FileLock? {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw ExecutorError.system(call: "open", path: url.path, errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        return FileLock(fd: fd)
    }

    /// Whether someone currently holds the lock on `url` (false when the file does not exist).
    static func isHeld(_ url: LocalPath) -> Bool {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
