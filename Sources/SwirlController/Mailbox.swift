import Synchronization

/// The controller loop's inputs, posted from any thread or task without hopping onto the controller actor.
///
/// Posting through the actor meant that a loop with work always pending (a long adoption that re-posts itself) never
/// suspended, so the tasks forwarding finished pods could not get in: pods ended unheard until every other pod was
/// launched.
final class Mailbox<Input: Sendable>: Sendable {
    private struct State {
        var inputs: [Input] = []
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Queues an input and wakes the loop if it waits.
    func post(_ input: Input) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.inputs.append(input)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    var isEmpty: Bool { state.withLock { $0.inputs.isEmpty } }

    /// Every queued input, oldest first; the mailbox is empty afterwards.
    func takeAll() -> [Input] {
        state.withLock { state in
            defer { state.inputs = [] }
            return state.inputs
        }
    }

    /// Returns once something is queued (at once if something already is). One waiter at a time.
    func waitForInput() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if !state.inputs.isEmpty { return true }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
