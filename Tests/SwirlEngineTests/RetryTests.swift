import Foundation
import SwirlEngine
import SwirlSpec
import Testing

func retryWorkflow(_ strategy: String) -> String {
    workflowYAML(
        """
          - name: main
            steps:
            - - {name: x, template: flaky}
          - name: flaky
            retryStrategy: \(strategy)
            container: {image: alpine, command: [flaky]}
            outputs:
              parameters: [{name: p, valueFrom: {path: /p, default: none}}]
        """)
}

@Suite struct RetryTests {
    @Test func limitReached() throws {
        var h = try EngineHarness(retryWorkflow("{limit: 3}")) { _ in .exit(1) }
        #expect(h.run() == .failed)
        #expect(h.startedDisplayNames == ["x(0)", "x(1)", "x(2)", "x(3)"])
        let retry = try #require(h.node("wf[0].x"))
        #expect(retry.type == .retry)
        #expect(retry.phase == .failed)
        #expect(retry.children == (0...3).map { h.node("wf[0].x(\($0))")!.id })
        for index in 0...3 { #expect(h.node("wf[0].x(\(index))")?.phase == .failed) }
        #expect(h.node("wf[0].x(4)") == nil)
    }

    @Test func limitZeroRunsOnce() throws {
        var h = try EngineHarness(retryWorkflow("{limit: 0}")) { _ in .exit(1) }
        #expect(h.run() == .failed)
        #expect(h.startedDisplayNames == ["x(0)"])
    }

    @Test func successOnSecondAttempt() throws {
        var h = try EngineHarness(retryWorkflow("{limit: 5}")) { pod in
            pod.displayName == "x(0)" ? .exit(1) : PodAnswer(stdout: "second", outputParameters: ["p": "v2"])
        }
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["x(0)", "x(1)"])
        let retry = try #require(h.node("wf[0].x"))
        #expect(retry.phase == .succeeded)
        #expect(retry.outputs?.result == "second")
        #expect(retry.outputs?.parameters?.first { $0.name == "p" }?.value?.value == "v2")
        #expect(h.node("wf[0].x(0)")?.phase == .failed)
    }

    @Test func retriesVariable() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    retryStrategy: {limit: 2}
                    container: {image: alpine, command: [echo, "try {{retries}}"]}
                """)
        ) { pod in pod.displayName == "wf(2)" ? .ok : .exit(1) }
        #expect(h.run() == .succeeded)
        #expect(h.node("wf")?.type == .retry)
        #expect(h.started.map(\.argv) == [["echo", "try 0"], ["echo", "try 1"], ["echo", "try 2"]])
    }

    @Test func onErrorPolicyRetriesErrorsOnly() throws {
        var failed = try EngineHarness(retryWorkflow("{limit: 3, retryPolicy: OnError}")) { _ in .exit(1) }
        #expect(failed.run() == .failed)
        #expect(failed.startedDisplayNames == ["x(0)"], "a Failed attempt is not retried under OnError")

        var errored = try EngineHarness(retryWorkflow("{limit: 3, retryPolicy: OnError}")) { pod in
            pod.displayName == "x(3)" ? .ok : .infraError("node lost")
        }
        #expect(errored.run() == .succeeded)
        #expect(errored.startedDisplayNames == ["x(0)", "x(1)", "x(2)", "x(3)"])
    }

    @Test func onFailurePolicyRetriesFailures() throws {
        var h = try EngineHarness(retryWorkflow("{limit: 3, retryPolicy: OnFailure}")) { pod in
            pod.displayName == "x(2)" ? .ok : .exit(3)
        }
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["x(0)", "x(1)", "x(2)"])
    }

    @Test func alwaysPolicyRetriesBoth() throws {
        var h = try EngineHarness(retryWorkflow("{limit: 3, retryPolicy: Always}")) { pod in
            switch pod.displayName {
            case "x(0)": return .exit(1)
            case "x(1)": return .infraError("boom")
            default: return .ok
            }
        }
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["x(0)", "x(1)", "x(2)"])
    }

    @Test func backoffWakesAtTheRightTimes() throws {
        var h = try EngineHarness(
            retryWorkflow(#"{limit: 4, backoff: {duration: "10s", factor: 2, cap: "30s"}}"#)
        ) { _ in PodAnswer(exitCode: 1, duration: 1) }
        #expect(h.run() == .failed)
        #expect(h.startedDisplayNames == ["x(0)", "x(1)", "x(2)", "x(3)", "x(4)"])
        // Each wait is measured from the failed attempt's end: 10, 20, 40→30 (cap), 80→30 (cap).
        let waits = h.wakeRequests.map { $0.wake.timeIntervalSince($0.at) }
        #expect(waits == [10, 20, 30, 30])
        // And no attempt starts before its wake time.
        var starts: [Double] = []
        for index in 0...4 {
            let node = try #require(h.node("wf[0].x(\(index))"))
            starts.append(node.startedAt!.timeIntervalSince(EngineHarness.epoch))
        }
        #expect(starts == [0, 11, 32, 63, 94])
    }

    @Test func backoffMaxDurationGivesUp() throws {
        var h = try EngineHarness(
            retryWorkflow(#"{limit: 10, backoff: {duration: "10s", factor: 1, maxDuration: "25s"}}"#)
        ) { _ in PodAnswer(exitCode: 1, duration: 1) }
        #expect(h.run() == .failed)
        // Attempts end at 1, 12, 23; the next start would be at 33 > 25 s after the first.
        #expect(h.startedDisplayNames.count == 3)
    }

    @Test func retriedStepsTemplate() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: group, template: inner}
                  - name: inner
                    retryStrategy: {limit: 1}
                    steps:
                    - - {name: leaf, template: echo}
                \(echoTemplate)
                """)
        ) { pod in pod.node.name.contains("(0)") ? .exit(1) : .ok }
        #expect(h.run() == .succeeded)
        #expect(h.node("wf[0].group")?.type == .retry)
        #expect(h.node("wf[0].group(0)")?.type == .steps)
        #expect(h.node("wf[0].group(0)[0].leaf")?.phase == .failed)
        #expect(h.node("wf[0].group(1)[0].leaf")?.phase == .succeeded)
    }
}

/// `retryPolicy: OnTransientError`: only errors Argo classes as transient are retried, plus messages matching the
/// controller's `TRANSIENT_ERROR_PATTERN`, which reaches the engine as `EngineOptions`.
@Suite struct TransientRetryTests {
    static let workflow = retryWorkflow("{limit: 3, retryPolicy: OnTransientError}")

    @Test func builtInTransientErrorsAreRetried() throws {
        var h = try EngineHarness(Self.workflow) { pod in
            pod.displayName == "x(2)" ? .ok : .infraError("dial tcp 10.0.0.1:443: connect: connection refused")
        }
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["x(0)", "x(1)", "x(2)"])
    }

    @Test func otherErrorsAndFailuresAreNotRetried() throws {
        var errored = try EngineHarness(Self.workflow) { _ in .infraError("image not found") }
        #expect(errored.run() != .succeeded)
        #expect(errored.startedDisplayNames == ["x(0)"])

        var failed = try EngineHarness(Self.workflow) { _ in .exit(1) }
        #expect(failed.run() == .failed)
        #expect(failed.startedDisplayNames == ["x(0)"])
    }

    @Test func thePatternMakesMatchingMessagesTransient() throws {
        let options = EngineOptions(transientErrorPattern: "exit code 1[0-9]|quota")
        var failed = try EngineHarness(Self.workflow, options: options) { pod in
            pod.displayName == "x(2)" ? .ok : .exit(17)
        }
        #expect(failed.run() == .succeeded, "a Failed node whose message matches is retried too")
        #expect(failed.startedDisplayNames == ["x(0)", "x(1)", "x(2)"])

        var errored = try EngineHarness(Self.workflow, options: options) { pod in
            pod.displayName == "x(1)" ? .ok : .infraError("pods exceeded quota")
        }
        #expect(errored.run() == .succeeded)
        #expect(errored.startedDisplayNames == ["x(0)", "x(1)"])

        var other = try EngineHarness(Self.workflow, options: options) { _ in .exit(2) }
        #expect(other.run() == .failed)
        #expect(other.startedDisplayNames == ["x(0)"])
    }

    @Test func anInvalidPatternMatchesNothing() throws {
        var h = try EngineHarness(Self.workflow, options: EngineOptions(transientErrorPattern: "([")) { _ in .exit(1) }
        #expect(h.run() == .failed)
        #expect(h.startedDisplayNames == ["x(0)"])
    }

    @Test func theOptionsSurviveARestore() throws {
        let options = EngineOptions(transientErrorPattern: "flaky")
        var h = try EngineHarness(Self.workflow, options: options) { pod in
            pod.displayName == "x(1)" ? .ok : .infraError("flaky volume")
        }
        try h.crashAndRestore()
        #expect(h.engine.options == options)
        #expect(h.run() == .succeeded)
    }
}
