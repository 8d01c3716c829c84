import Foundation
import SwirlEngine
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Finishes directly launched pods' housekeeping on a background thread that runs at idle CPU priority
/// (`SCHED_IDLE`), so that it takes CPU time no step and not the controller wants: it removes the scratch directory
/// (see `PodFiles.scratch`) of a pod whose result the controller has stored. On a machine kept busy by steps it
/// may not run at all for a while, so the queue has bounds: past `limit` pods, or once its oldest entry waited
/// `maxWait`, whoever queues (or `sweepStale()`) does the backlog itself. That keeps what a step left in its
/// copy-on-write layer (tmpfs memory) from piling up.
///
/// It makes no directories: a thread at idle priority that holds a directory's lock while preempted would make the
/// controller, creating a pod's directories next to it, wait for it (spare directories made here cost one-step
/// workflows up to a quarter of their throughput in one run).
///
/// Only stored results are queued, which is what keeps a crash safe: the scratch directory holds what a direct pod's
/// result is collected from, so a controller killed before storing it collects the pod again.
final class ScratchSweeper: Sendable {
    /// A finished pod whose result is stored: its scratch directory is to go.
    struct Entry: Sendable {
        var files: PodFiles
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

    /// Queues a finished pod's scratch directory for removal.
    func enqueue(_ files: PodFiles) {
        let (startThread, backlog) = state.withLock { state in
            state.queue.append(Entry(files: files, since: .now))
            return (startThreadIfNeeded(&state), state.queue.count > limit)
        }
        if startThread { startSweeperThread() }
        if backlog { drain() } else { wakeUp.signal() }
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

    /// Takes `files` off the queue, removing its scratch directory at once, and waits until the sweeper is not
    /// working on it: called before a pod's scratch directory is created, since a pod started again (`swirl
    /// retry`) gets the same scratch directory, which must not be taken for that of a pod already started.
    func cancel(_ files: PodFiles) {
        while true {
            let (busy, queued) = state.withLock { state in
                let queued = state.queue.contains { $0.files.scratch == files.scratch }
                if queued { state.queue.removeAll { $0.files.scratch == files.scratch } }
                return (state.inProgress?.files.scratch == files.scratch, queued)
            }
            if queued { ScratchSpace.remove(files) }
            if !busy { return }
            usleep(200)
        }
    }

    /// Number of entries still queued (for tests).
    var queued: Int { state.withLock { $0.queue.count } }

    private static func finish(_ entry: Entry) {
        ScratchSpace.remove(entry.files)
    }

    /// Writes a result file in place, not through a temporary file and a rename (one inode fewer on the disk): a
    /// result torn by a crash does not decode, and the scratch it is collected from outlives this write, so the
    /// next controller collects it again. Makes the pod directory first: a directly launched pod has none.
    static func writeResult(_ result: PodResult, files: PodFiles) {
        guard let data = try? PodJSON.encode(result) else { return }
        try? FileIO.makeDirectory(files.directory)
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
