import Foundation
import SwirlEngine
import SwirlSpec
import Testing

@Suite struct NamingTests {
    @Test func fnvKnownValues() {
        // Published FNV-1a 32-bit test vectors.
        #expect(fnv1a32("") == 0x811C_9DC5)
        #expect(fnv1a32("a") == 0xE40C_292C)
        #expect(fnv1a32("hello") == 0x4F9F_2CAB)
        #expect(NodeNaming.fnv32a("") == 2_166_136_261)
        #expect(NodeNaming.fnv32a("a") == 3_826_002_220)
        #expect(NodeNaming.fnv32a("hello") == 1_335_831_723)
        #expect(NodeNaming.fnv32a("wf[0].hello1") == fnv1a32("wf[0].hello1"))
    }

    @Test func nodeIDAndPodNameFormat() {
        #expect(NodeNaming.nodeID(workflowName: "wf", nodeName: "wf") == "wf")
        #expect(NodeNaming.nodeID(workflowName: "wf", nodeName: "wf.A") == "wf-\(fnv1a32("wf.A"))")
        #expect(
            NodeNaming.podName(workflowName: "wf", nodeName: "wf.A", templateName: "echo")
                == "wf-echo-\(fnv1a32("wf.A"))")
        let long = String(repeating: "t", count: 300)
        let pod = NodeNaming.podName(workflowName: "wf", nodeName: "wf.A", templateName: long)
        #expect(pod.count == 242 + 1 + String(fnv1a32("wf.A")).count)
    }

    @Test func stepsNames() throws {
        var h = try EngineHarness(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {generateName: x-}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - name: hello1
                    template: echo
              - name: echo
                container: {image: alpine, command: [echo, hi]}
            """)
        #expect(h.run() == .succeeded)
        let root = try #require(h.engine.status.nodes["wf"])
        #expect(root.name == "wf")
        #expect(root.type == .steps)
        let group = try #require(h.node("wf[0]"))
        #expect(group.type == .stepGroup)
        #expect(group.displayName == "[0]")
        let step = try #require(h.node("wf[0].hello1"))
        #expect(step.id == "wf-\(fnv1a32("wf[0].hello1"))")
        #expect(step.displayName == "hello1")
        #expect(step.type == .pod)
        #expect(step.boundaryID == "wf")
        #expect(step.podName == "wf-echo-\(fnv1a32("wf[0].hello1"))")
        #expect(h.started.map(\.podName) == ["wf-echo-\(fnv1a32("wf[0].hello1"))"])
        #expect(root.children == [group.id])
        #expect(group.children == [step.id])
        #expect(h.engine.status.nodes.count == 3)
    }

    @Test func dagLoopAndRetryNames() throws {
        var h = try EngineHarness(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: x}
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
                  - name: A
                    template: echo
                  - name: L
                    template: echo
                    withItems: [a, b]
                  - name: R
                    template: flaky
              - name: echo
                container: {image: alpine}
              - name: flaky
                retryStrategy: {limit: 2}
                container: {image: alpine}
            """,
            name: "dagwf"
        ) { pod in
            pod.displayName == "R(0)" ? .exit(1) : .ok
        }
        #expect(h.run() == .succeeded)
        #expect(h.node("dagwf.A")?.id == "dagwf-\(fnv1a32("dagwf.A"))")
        #expect(h.node("dagwf.L")?.type == .taskGroup)
        #expect(h.node("dagwf.L(0:a)")?.displayName == "L(0:a)")
        #expect(h.node("dagwf.L(1:b)")?.phase == .succeeded)
        #expect(h.node("dagwf.R")?.type == .retry)
        #expect(h.node("dagwf.R(0)")?.phase == .failed)
        #expect(h.node("dagwf.R(1)")?.phase == .succeeded)
        #expect(h.node("dagwf.R(1)")?.podName == "dagwf-flaky-\(fnv1a32("dagwf.R(1)"))")
        #expect(h.node("dagwf.R(2)") == nil)
    }
}
