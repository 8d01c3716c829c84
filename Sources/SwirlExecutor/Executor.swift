import Foundation
import SwirlEngine

/// What an executor can tell about one pod, so the controller can resume after a restart by looking at what ran.
public enum PodObservation: Sendable, Equatable {
    /// No request was ever handed to the executor for this pod.
    case notStarted
    /// The pod's supervisor is alive (or was launched moments ago).
    case running
    /// The pod ended and left a result.
    case finished(PodResult)
    /// The pod was started but its supervisor is gone without leaving a result; the reason says what is known.
    case lost(String)
}

/// Runs pods: the seam between the controller (which decides what runs) and the machinery that runs it.
public protocol Executor: Sendable {
    /// Starts the pod described by `request`.
    ///
    /// Idempotent until the pod's result is stored: a pod already started (its request, supervisor or result is
    /// there) is not started again, so the controller can re-issue the action after a crash.
    func start(_ request: PodRequest) throws
    /// Reports what is known about the pod without blocking.
    func observe(podName: String) -> PodObservation
    /// Asks the pod to stop: SIGTERM to the step, then SIGKILL after a grace period.
    /// The result then carries `exitCode` nil and `error` "terminated".
    func kill(podName: String)
    /// Removes the workflow's volumes and the given pods' directories (for `swirl delete`).
    func removeWorkflowData(workflowUID: String, podNames: [String])
    /// See the extension's default.
    var completesInProcess: Bool { get }
    /// The controller has nothing more to hand over for now: finish housekeeping deferred to keep it off the path
    /// between one step's end and the next one's start. The default does nothing.
    func idle()
    /// The controller is about to exit: finish whatever housekeeping is still deferred. The default does nothing.
    func finishHousekeeping()
    /// The controller has stored the results this executor reported as `.finished` for these pods: what it kept
    /// only to report them again can go. The default does nothing.
    func resultsRecorded(podNames: [String])
}

extension Executor {
    /// True for executors that finish pods inside this process and leave no done marker: the controller
    /// then looks at the pod right after starting it.
    public var completesInProcess: Bool { false }

    public func idle() {}

    public func finishHousekeeping() {}

    public func resultsRecorded(podNames: [String]) {}
}
