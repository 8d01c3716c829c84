import Dispatch
import Foundation
import Synchronization

/// A piece of work handed to another core while the caller goes on with something else. `result()` takes the
/// work back and runs it on the calling thread if the other thread has not started it yet; otherwise it waits.
///
/// The work gets a thread of its own, not a dispatch queue: on Linux, libdispatch starts no new worker while as
/// many of its threads as there are cores look busy, and the caller (a Swift concurrency job) counts as one, so a
/// queued block could wait until the caller itself came to ask for it.
public final class SideTask<Value: Sendable>: Sendable {
    private let work: Mutex<(@Sendable () throws -> Value)?>
    private let outcome = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts `work` on a new thread at once.
    public init(_ work: @escaping @Sendable () throws -> Value) {
        self.work = Mutex(work)
        Thread.detachNewThread { [self] in run() }
    }

    /// The work's value or error, computed here when the other thread has not started it (any number of calls).
    public func result() throws -> Value {
        if !run() {
            done.wait()
            done.signal()  // for the next call
        }
        return try outcome.withLock { $0! }.get()
    }

    /// Runs the work if no one has yet; false when someone else has (or is running it).
    @discardableResult
    private func run() -> Bool {
        guard let work = work.withLock({ $0.take() }) else { return false }
        let value = Result { try work() }
        outcome.withLock { $0 = value }
        done.signal()
        return true
    }
}
