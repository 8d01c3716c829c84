import Foundation
import SwirlEngine
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Finishes directly launched pods' housekeeping on a background thread that runs at idle CPU priority
/// (`SCHED_IDLE`), so that it takes CPU time no step and not the controller wants: it writes a finished pod's
/// `result.json`, then removes its scratch directory (see `PodFiles.scratch`). On a machine kept busy by steps it
/// may not run at all for a while, so the queue has bounds: past `limit` pods, or once its oldest entry waited
/// `maxWait`, whoever queues (or `sweepStale()`) does the backlog itself. That keeps what a step left in its
/// copy-on-write layer (tmpfs memory) from piling up.
///
/// It makes no directories: a thread at idle priority that holds a directory's lock while preempted would make the
/// controller, creating a pod's directories next to it, wait for it (spare directories made here cost one-step
/// workflows up to a quarter of their throughput in one run).
///
/// The order within an entry is what keeps a crash safe: the result file is written before the scratch directory,
/// which holds what the result is collected from, goes. A controller killed in between collects the pod again.
final class ScratchSweeper: Sendable {
    /// A finished pod: its result, when the result file is still to be written, and its scratch directory.
    struct Entry: Sendable {
        var files: PodFiles
        var result: PodResult?
        var since: ContinuousClock.Instant
    }

    private struct State {
        var queue: [Entry] = []
        /// The entry the sweeper thread is working on right now, outside the lock.
        var inProgress: Entry?
        var threadStarted = false
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    let limit: Int
    let maxWait: Duration

    init(limit: Int = 256, maxWait: Duration = .seconds(1)) {
        self.limit = limit
        self.maxWait = maxWait
    }

    /// Queues a finished pod: its `result` to write to `result.json` (nil when that is written already), then its
    /// scratch directory to remove.
    func enqueue(_ files: PodFiles, result: PodResult? = nil) {
        let (startThread, backlog) = state.withLock { state in
            state.queue.append(Entry(files: files, result: result, since: .now))
            return (startThreadIfNeeded(&state), state.queue.count > limit)
        }
        if startThread { startSweeperThread() }
        if backlog { drain() } else { wakeUp.signal() }
    }

    /// The result of a queued pod whose `result.json` is not written yet.
    func pendingResult(_ files: PodFiles) -> PodResult? {
        state.withLock { state in
            if let entry = state.inProgress, entry.files.scratch == files.scratch, let result = entry.result {
                return result
            }
            return state.queue.last { $0.files.scratch == files.scratch }?.result
        }
    }

    /// Does, on the caller's thread, every queued entry that waited longer than `maxWait` (the sweeper had no idle
    /// CPU to run on).
    func sweepStale() {
        let now = ContinuousClock.now
        let stale = state.withLock { state in
            guard let oldest = state.queue.first, now - oldest.since > maxWait else { return [Entry]() }
            let cut = state.queue.firstIndex { now - $0.since <= maxWait } ?? state.queue.count
            defer { state.queue.removeFirst(cut) }
            return Array(state.queue[..<cut])
        }
        stale.forEach(Self.finish)
    }

    /// Does everything queued, on the caller's thread, and waits for the sweeper's entry in progress (before the
    /// process exits, or when the queue is too long).
    func drain() {
        let all = state.withLock { state in
            defer { state.queue.removeAll() }
            return state.queue
        }
        all.forEach(Self.finish)
        while state.withLock({ $0.inProgress != nil }) { usleep(200) }
    }

    /// Takes `files` off the queue, writing its pending result file at once, and waits until the sweeper is not
    /// working on it: called before a pod's scratch directory is created, since a pod started again (`swirl
    /// retry`) gets the same scratch directory.
    func cancel(_ files: PodFiles) {
        while true {
            let (busy, pending) = state.withLock { state in
                let index = state.queue.firstIndex { $0.files.scratch == files.scratch }
                let pending = index.map { state.queue[$0] }
                if index != nil { state.queue.removeAll { $0.files.scratch == files.scratch } }
                return (state.inProgress?.files.scratch == files.scratch, pending)
            }
            if let result = pending?.result { Self.writeResult(result, files: files) }
            if !busy { return }
            usleep(200)
        }
    }

    /// Number of entries still queued (for tests).
    var queued: Int { state.withLock { $0.queue.count } }

    private static func finish(_ entry: Entry) {
        if let result = entry.result { writeResult(result, files: entry.files) }
        ScratchSpace.remove(entry.files)
    }

    /// Written in place, not through a temporary file and a rename (one inode fewer on the disk per step): a
    /// result torn by a crash does not decode, and the scratch it is collected from outlives this write, so the
    /// next controller collects it again.
    static func writeResult(_ result: PodResult, files: PodFiles) {
        guard let data = try? PodJSON.encode(result) else { return }
        try? FileIO.write(data, to: files.result)
    }

    private func startThreadIfNeeded(_ state: inout State) -> Bool {
        defer { state.threadStarted = true }
        return !state.threadStarted
    }

    private func startSweeperThread() {
        let thread = Thread { [self] in
            #if canImport(Glibc)
                Thread.nameCurrent("swirl-sweeper")
                var parameters = sched_param()
                parameters.sched_priority = 0
                // SCHED_IDLE (5 in <linux/sched.h>; glibc declares it only under _GNU_SOURCE); 0: this thread.
                _ = sched_setscheduler(0, 5, &parameters)
            #endif
            while true {
                wakeUp.wait()
                while let next = takeNext() {
                    Self.finish(next)
                    state.withLock { $0.inProgress = nil }
                }
            }
        }
        thread.start()
    }

    private func takeNext() -> Entry? {
        state.withLock { state in
            guard !state.queue.isEmpty else { return nil }
            let next = state.queue.removeFirst()
            state.inProgress = next
            return next
        }
    }
}
