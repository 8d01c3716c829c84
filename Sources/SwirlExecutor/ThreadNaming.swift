import Foundation

extension Thread {
    /// Names the calling thread where `top -H`, `perf` and `/proc/PID/task/TID/comm` show it. Called from inside the
    /// thread: on Linux, Foundation does not pass a name set before `start()` on to the system thread, which then
    /// keeps its creator's name (a pool thread's `com.apple.root.default-qos`, cut to 15 bytes). Linux keeps at most
    /// 15 bytes of a name and ignores a longer one entirely, so `name` must be that short.
    static func nameCurrent(_ name: String) {
        precondition(name.utf8.count <= 15, "thread name '\(name)' is longer than Linux keeps")
        Thread.current.name = name
    }
}
