import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Tells the controller which pods finished, as their done markers appear, without polling.
///
/// Names already present when the watcher starts are yielded first. A name can be yielded more than once
/// (for instance when it appears while the initial listing is taken), so consumers must be idempotent.
public final class CompletionWatcher: Sendable {
    /// The pod names whose done marker appeared; finishes after `stop()`. Empty when a handler receives the names.
    public let podNames: AsyncStream<String>
    /// Receives each name on the watcher's thread, with when its marker was seen (nil for markers found by
    /// listing), when given instead of the stream.
    private let handler: (@Sendable (_ name: String, _ seenAt: Date?) -> Void)?

    private let watch: DirectoryWatch
    private let directory: URL
    private let continuation: AsyncStream<String>.Continuation
    /// Written to by `stop()` to wake the reader thread.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopped = Mutex(false)
    /// When each name's marker was read from inotify (precise clock), until taken.
    private let arrivals = Mutex<[String: Date]>([:])

    /// Starts watching `directory` (created if missing) on a dedicated thread; the names come through `podNames`.
    public convenience init(directory: URL) throws {
        try self.init(directory: directory, handler: nil)
    }

    /// Starts watching `directory` (created if missing) on a dedicated thread, which calls `handler` with each name
    /// as it appears: one thread wake-up per marker, where the stream's consumer task is another (a task resumed
    /// on a thread of the pool, while both cores run steps, waited half a millisecond on average to be scheduled).
    public convenience init(
        directory: URL, handler: @escaping @Sendable (_ name: String, _ seenAt: Date?) -> Void
    ) throws {
        try self.init(directory: directory, handler: .some(handler))
    }

    private init(directory: URL, handler: (@Sendable (_ name: String, _ seenAt: Date?) -> Void)?) throws {
        try FileIO.makeDirectory(directory)
        self.handler = handler
        self.directory = directory
        watch = try DirectoryWatch(directory: directory)
        guard let (wakeRead, wakeWrite) = Pipe.make(nonBlocking: true) else {
            throw ExecutorError.system(call: "pipe", path: directory.path, errno: errno)
        }
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        (podNames, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        if handler != nil { continuation.finish() }
        for name in Self.list(directory) { deliver(name, seenAt: nil) }
        let thread = Thread { [self] in
            Thread.nameCurrent("swirl-watcher")
            self.readLoop()
        }
        thread.start()
    }

    /// When the marker `name` was seen appearing (read from inotify, so within a millisecond or so of its creation),
    /// once; nil for markers found by listing (present at start, or after an event overflow).
    public func takeArrival(_ name: String) -> Date? {
        arrivals.withLock { $0.removeValue(forKey: name) }
    }

    /// Stops watching and finishes `podNames`.
    public func stop() {
        let wasStopped = stopped.withLock { value in
            defer { value = true }
            return value
        }
        if wasStopped { return }
        watch.unwatch()  // now, not when the reader thread ends: see `DirectoryWatch.unwatch()`
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func readLoop() {
        // The wake pipe stays open until deinit: `stop()` may write to it after this loop has ended (removing the
        // watch wakes the loop with IN_IGNORED), and a write to a pipe whose read end was closed raises SIGPIPE.
        defer { continuation.finish() }
        while !stopped.withLock({ $0 }) {
            let ready = Poll.readable([watch.fd, wakeRead], timeout: nil)
            if ready.contains(1) || stopped.withLock({ $0 }) { return }
            guard ready.contains(0) else { continue }
            // One read per wake-up: events still pending make the next `poll` return at once, and reading again
            // here until the queue is empty cost a failed read per finished pod.
            switch watch.read() {
            case .empty:
                break
            case .overflow:
                Self.list(directory).forEach { deliver($0, seenAt: nil) }
            case .names(let names):
                let now = Date()
                for name in names where Self.isMarker(name) { deliver(name, seenAt: now) }
            }
        }
    }

    private func deliver(_ name: String, seenAt: Date?) {
        if let handler {
            handler(name, seenAt)
            return
        }
        if let seenAt { arrivals.withLock { $0[name] = seenAt } }
        continuation.yield(name)
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Done markers are written as dot-prefixed temporary files and renamed; only final names count.
    private static func isMarker(_ name: String) -> Bool { !name.hasPrefix(".") }

    private static func list(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter(isMarker).sorted()
    }
}
