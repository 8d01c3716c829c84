import Foundation
import SwirlEngine
import SwirlSpec
import Testing

@Suite struct RecoveryTests {
    static let mixed = workflowYAML(
        """
          - name: main
            steps:
            - - {name: first, template: echo}
            - - {name: fan, template: echo, withItems: [a, b, c]}
              - {name: graph, template: graph}
            - - {name: flaky, template: flaky}
            - - name: last
                template: echo
                arguments: {parameters: [{name: x, value: "{{steps.flaky.outputs.result}}"}]}
          - name: graph
            dag:
              tasks:
              - {name: A, template: echo}
              - {name: B, template: echo, dependencies: [A]}
              - {name: C, template: echo, dependencies: [A]}
              - {name: D, template: echo, dependencies: [B, C]}
          - name: flaky
            retryStrategy: {limit: 3}
            container: {image: alpine, command: [flaky]}
        \(echoTemplate)
        """)

    static func responder(_ pod: FakePod) -> PodAnswer {
        switch pod.displayName {
        case "flaky(0)", "flaky(1)": return .exit(1)
        case "flaky(2)": return .out("third time")
        case "B": return PodAnswer(duration: 3)
        default: return .ok
        }
    }

    @Test func restoreAtEveryStepFinishesIdentically() throws {
        var reference = try EngineHarness(Self.mixed, responder: Self.responder)
        #expect(reference.run() == .succeeded)
        let expected = reference.phasesByName
        let expectedIDs = Set(reference.engine.status.nodes.keys)
        let totalSteps = reference.events
        #expect(totalSteps > 10)
        #expect(reference.request(displayName: "last")?.argv == ["echo", "third time"])

        for crashAfter in 0..<totalSteps {
            var h = try EngineHarness(Self.mixed, responder: Self.responder)
            h.run(steps: crashAfter)
            if h.isCompleted { break }
            try h.crashAndRestore()
            #expect(h.run() == .succeeded, "crash after \(crashAfter) steps")
            #expect(h.phasesByName == expected, "crash after \(crashAfter) steps")
            #expect(Set(h.engine.status.nodes.keys) == expectedIDs)
            let doubles = h.startCounts.filter { $0.value > 1 }
            #expect(doubles.isEmpty, "crash after \(crashAfter): started twice: \(doubles.keys.sorted())")
            #expect(h.started.count == reference.started.count, "crash after \(crashAfter)")
            #expect(h.request(displayName: "last")?.argv == ["echo", "third time"])
            #expect(h.completions == [.succeeded])
        }
    }

    @Test func restoreTwice() throws {
        var h = try EngineHarness(Self.mixed, responder: Self.responder)
        h.run(steps: 3)
        try h.crashAndRestore()
        h.run(steps: 4)
        try h.crashAndRestore()
        #expect(h.run() == .succeeded)
        #expect(h.startCounts.values.allSatisfy { $0 == 1 })
    }

    @Test func restoreWithParallelismKeepsTheCap() throws {
        let tasks = (0..<8).map { "      - {name: t\($0), template: echo}" }.joined(separator: "\n")
        let yaml = workflowYAML(
            spec: "  parallelism: 2",
            """
              - name: main
                dag:
                  tasks:
            \(tasks)
            \(echoTemplate)
            """)
        var h = try EngineHarness(yaml)
        h.run(steps: 3)
        try h.crashAndRestore()
        #expect(h.running.count <= 2)
        #expect(h.run() == .succeeded)
        #expect(h.maxRunning == 2)
        #expect(h.started.count == 8)
        #expect(h.startCounts.values.allSatisfy { $0 == 1 })
    }

    /// Crash after the commit but before the actions were carried out: the controller finds the lost pods in
    /// `runningPodNodeIDs` and can rebuild each one's request from the node alone.
    @Test func lostStartPodsAreRecoverable() throws {
        var fresh = try EngineHarness(DAGTests.diamond)
        fresh.start()
        let actions = fresh.engine.handle(
            .podFinished(nodeID: fresh.started[0].nodeID, result: PodResult(exitCode: 0)), now: fresh.clock)
        let lostRequests = actions.compactMap { action -> PodRequest? in
            if case .startPod(let request) = action { return request }
            return nil
        }
        #expect(lostRequests.count == 2)
        let data = try WorkflowObject.jsonEncoder().encode(fresh.engine.status)
        let status = try WorkflowObject.jsonDecoder().decode(WorkflowStatus.self, from: data)
        var restored = WorkflowEngine(workflow: fresh.workflow, uid: fresh.uid, status: status)
        let owed = restored.resume(now: fresh.clock)
        #expect(!owed.contains { if case .startPod = $0 { true } else { false } }, "running pods are not restarted")
        #expect(Set(restored.runningPodNodeIDs) == Set(lostRequests.map(\.nodeID)))
        for request in lostRequests {
            let node = try #require(restored.status.nodes[request.nodeID])
            #expect(try restored.podRequest(for: node) == request)
        }
    }

    /// A restart during a retry backoff must still wait out the backoff (Argo: next attempt at
    /// lastChild.finishedAt + wait).
    @Test func restoreDuringBackoffKeepsWaiting() throws {
        let yaml = retryWorkflow(#"{limit: 2, backoff: {duration: "60s"}}"#)
        var h = try EngineHarness(yaml) { pod in pod.displayName == "x(0)" ? .exit(1) : .ok }
        h.start()
        h.step()  // x(0) fails at t=1; backoff until t=61
        #expect(h.wakes == [EngineHarness.epoch.addingTimeInterval(61)])
        h.clock = EngineHarness.epoch.addingTimeInterval(5)
        try h.crashAndRestore()
        #expect(h.started.count == 1, "no attempt before the backoff has passed")
        #expect(h.wakes.contains(EngineHarness.epoch.addingTimeInterval(61)))
        #expect(h.run() == .succeeded)
    }

    @Test func restoreDuringSuspendDuration() throws {
        let yaml = workflowYAML(
            """
              - name: main
                steps:
                - - {name: wait, template: wait}
                - - {name: after, template: echo}
              - name: wait
                suspend: {duration: "20s"}
            \(echoTemplate)
            """)
        var h = try EngineHarness(yaml)
        h.start()
        #expect(h.wakes == [EngineHarness.epoch.addingTimeInterval(20)])
        h.clock = EngineHarness.epoch.addingTimeInterval(5)
        try h.crashAndRestore()
        #expect(h.started.isEmpty)
        #expect(h.wakes == [EngineHarness.epoch.addingTimeInterval(20)])
        #expect(h.run() == .succeeded)
        #expect(h.node("wf[1].after")?.startedAt == EngineHarness.epoch.addingTimeInterval(20))
    }

    @Test func restoreKeepsDeadline() throws {
        let yaml = workflowYAML(
            spec: "  activeDeadlineSeconds: 100",
            "  - name: main\n    container: {image: alpine}")
        var h = try EngineHarness(yaml) { _ in .hanging }
        h.start()
        h.clock = EngineHarness.epoch.addingTimeInterval(10)
        try h.crashAndRestore()
        #expect(h.wakes == [EngineHarness.epoch.addingTimeInterval(100)])
        #expect(h.run() == .failed)
        #expect(h.kills.count == 1)
    }

    /// The store writes only `takeChangedNodeIDs()`; rows rebuilt that way must equal the status after every event.
    @Test func changedNodeIDsCoverEveryChange() throws {
        for yaml in [Self.mixed, DAGTests.diamond, retryWorkflow(#"{limit: 3, backoff: {duration: "5s"}}"#)] {
            var h = try EngineHarness(
                yaml,
                responder: { pod in
                    pod.displayName.hasSuffix("(0)") ? .exit(1) : Self.responder(pod)
                })
            h.mirror = [:]
            h.run()
            #expect(h.isCompleted)
            #expect(h.mirror == h.engine.status.nodes)
        }
    }

    /// A pod's own start time (a coarse file timestamp) never moves a node's start before its creation.
    @Test func podResultDoesNotBackdateTheNodesStart() throws {
        var h = try EngineHarness(DAGTests.diamond)
        h.start()
        let request = try #require(h.started.first)
        let early = EngineHarness.epoch.addingTimeInterval(-0.004)
        let end = EngineHarness.epoch.addingTimeInterval(0.5)
        h.send(.podFinished(nodeID: request.nodeID, result: PodResult(exitCode: 0, startedAt: early, finishedAt: end)))
        #expect(h.engine.status.nodes[request.nodeID]?.startedAt == EngineHarness.epoch)
        #expect(h.engine.status.nodes[request.nodeID]?.finishedAt == end)
    }

    @Test func podStartedMarksRunning() throws {
        var h = try EngineHarness(DAGTests.diamond)
        h.start()
        let request = try #require(h.started.first)
        #expect(h.engine.status.nodes[request.nodeID]?.phase == .running)
        let at = EngineHarness.epoch.addingTimeInterval(-3)
        h.send(.podStarted(nodeID: request.nodeID, at: at))
        #expect(h.engine.status.nodes[request.nodeID]?.startedAt == EngineHarness.epoch)
        #expect(h.engine.runningPodNodeIDs == [request.nodeID])
        #expect(h.run() == .succeeded)
        // Late or duplicate reports change nothing.
        let before = h.engine.status
        h.send(.podFinished(nodeID: request.nodeID, result: PodResult(exitCode: 1)))
        h.send(.podStarted(nodeID: request.nodeID, at: at))
        #expect(h.engine.status.nodes == before.nodes)
        #expect(h.engine.status.phase == .succeeded)
    }
}
