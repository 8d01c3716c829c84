import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Removes finished pods' scratch directories (see `PodFiles.scratch`) on a background thread that runs at idle CPU
/// priority (`SCHED_IDLE`), so that the removal, a dozen unlinks per pod, takes CPU time no step and not the
/// controller wants. On a machine kept busy by steps it may not run at all for a while, so the queue has bounds:
/// past `limit` pods, or once its oldest entry waited `maxWait`, whoever queues (or `sweepStale()`) removes the
/// backlog itself. That keeps what a step left in its copy-on-write layer (tmpfs memory) from piling up.
final class ScratchSweeper: Sendable {
    private struct State {
        var queue: [(files: PodFiles, since: ContinuousClock.Instant)] = []
        /// The scratch directory the sweeper thread is removing right now, outside the lock.
        var removing: LocalPath?
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
            state.queue.append((files, .now))
            let start = !state.threadStarted
            state.threadStarted = true
            return (start, state.queue.count > limit)
        }
        if startThread { startSweeperThread() }
        if backlog { drain() } else { wakeUp.signal() }
    }

    /// Removes, on the caller's thread, every queued directory that waited longer than `maxWait` (the sweeper had no
    /// idle CPU to run on).
    func sweepStale() {
        let now = ContinuousClock.now
        let stale = state.withLock { state in
            guard let oldest = state.queue.first, now - oldest.since > maxWait else { return [PodFiles]() }
            let cut = state.queue.firstIndex { now - $0.since <= maxWait } ?? state.queue.count
            defer { state.queue.removeFirst(cut) }
            return state.queue[..<cut].map(\.files)
        }
        stale.forEach(ScratchSpace.remove)
    }

    /// Removes everything queued, on the caller's thread, and waits for the sweeper's removal in progress (before
    /// the process exits, or when the queue is too long).
    func drain() {
        let all = state.withLock { state in
            defer { state.queue.removeAll() }
            return state.queue.map(\.files)
        }
        all.forEach(ScratchSpace.remove)
        while state.withLock({ $0.removing != nil }) { usleep(200) }
    }

    /// Takes `files` off the queue and waits until the sweeper is not removing it: called before a pod's scratch
    /// directory is created, since a pod started again (`swirl retry`) gets the same scratch directory.
    func cancel(_ files: PodFiles) {
        while true {
            let busy = state.withLock { state in
                state.queue.removeAll { $0.files.scratch == files.scratch }
                return state.removing == files.scratch
            }
            if !busy { return }
            usleep(200)
        }
    }

    /// Number of directories still queued (for tests).
    var queued: Int { state.withLock { $0.queue.count } }

    private func startSweeperThread() {
        let thread = Thread { [self] in
            #if canImport(Glibc)
                var parameters = sched_param()
                parameters.sched_priority = 0
                // SCHED_IDLE (5 in <linux/sched.h>; glibc declares it only under _GNU_SOURCE); 0: this thread.
                _ = sched_setscheduler(0, 5, &parameters)
            #endif
            while true {
                wakeUp.wait()
                while let next = takeNext() {
                    ScratchSpace.remove(next)
                    state.withLock { $0.removing = nil }
                }
            }
        }
        thread.start()
    }

    private func takeNext() -> PodFiles? {
        state.withLock { state in
            guard !state.queue.isEmpty else { return nil }
            let next = state.queue.removeFirst().files
            state.removing = next.scratch
            return next
        }
    }
}
