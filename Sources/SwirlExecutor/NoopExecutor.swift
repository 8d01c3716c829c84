import Foundation
import SwirlEngine
import Synchronization

/// An executor that runs nothing: every pod succeeds at once with exit code 0 and empty outputs (an http request
/// gets an empty 200 response).
/// It measures the engine and store alone (benchmarks) and tests a workflow's logic without processes.
public final class NoopExecutor: Executor {
    private let results = Mutex<[String: PodResult]>([:])

    public init() {}

    public var completesInProcess: Bool { true }

    public func start(_ request: PodRequest) throws {
        let now = Date()
        var outputs: [String: String] = [:]
        for name in request.outputParameterPaths.keys { outputs[name] = "" }
        if request.http != nil { outputs[WorkflowEngine.httpStatusOutput] = "200" }
        let result = PodResult(exitCode: 0, outputParameters: outputs, stdout: "", startedAt: now, finishedAt: now)
        results.withLock { $0[request.podName] = result }
    }

    public func observe(podName: String) -> PodObservation {
        results.withLock { $0.removeValue(forKey: podName) }.map { .finished($0) } ?? .notStarted
    }

    public func kill(podName: String) {
        results.withLock { $0[podName] = PodResult(exitCode: nil, error: "terminated") }
    }

    public func removeWorkflowData(workflowUID: String, podNames: [String]) {}
}
