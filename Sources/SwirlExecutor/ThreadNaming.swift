import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Thread {
    /// Names the calling thread where `top -H`, `perf` and `/proc/PID/task/TID/comm` show it, by writing its
    /// `/proc/thread-self/comm` (glibc's `pthread_setname_np` does the same; Swift's Glibc module does not declare
    /// it). Called from inside the thread: on Linux, Foundation does not pass a name set before `start()` on to the
    /// system thread, which then keeps its creator's name (a pool thread's `com.apple.root.default-qos`, cut to 15
    /// bytes), and `Thread.current.name` set from inside reaches the system thread only once `start()` has stored
    /// the thread's handle, which a busy machine can delay past the new thread's first lines. Linux keeps at most 15
    /// bytes of a name and ignores a longer one entirely, so `name` must be that short.
    static func nameCurrent(_ name: String) {
        precondition(name.utf8.count <= 15, "thread name '\(name)' is longer than Linux keeps")
        #if canImport(Glibc)
            let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                _ = name.withCString { write(fd, $0, strlen($0)) }
                close(fd)
            }
        #endif
        Thread.current.name = name
    }
}
