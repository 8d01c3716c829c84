import Foundation
import SwirlEngine
import SwirlSpec
import Testing

@Suite struct DAGTests {
    static let diamond = workflowYAML(
        """
          - name: main
            dag:
              tasks:
              - {name: A, template: echo}
              - {name: B, template: echo, dependencies: [A]}
              - {name: C, template: echo, dependencies: [A]}
              - {name: D, template: echo, dependencies: [B, C]}
        \(echoTemplate)
        """)

    @Test func diamondOrder() throws {
        var h = try EngineHarness(Self.diamond)
        h.start()
        #expect(h.startedDisplayNames == ["A"])
        h.step()
        #expect(h.startedDisplayNames == ["A", "B", "C"])
        h.step()
        #expect(h.startedDisplayNames == ["A", "B", "C"], "D waits for C")
        h.step()
        #expect(h.startedDisplayNames == ["A", "B", "C", "D"])
        #expect(h.run() == .succeeded)
        let dag = try #require(h.node("wf"))
        #expect(dag.type == .dag)
        #expect(Set(dag.children ?? []) == Set(["A", "B", "C", "D"].map { h.node("wf.\($0)")!.id }))
        for task in ["A", "B", "C", "D"] {
            #expect(h.node("wf.\(task)")?.phase == .succeeded)
            #expect(h.node("wf.\(task)")?.boundaryID == "wf")
        }
    }

    @Test func dependsResults() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      failFast: false
                      tasks:
                      - {name: ok, template: echo}
                      - {name: bad, template: echo}
                      - {name: skip, template: echo, when: "1 == 2"}
                      - {name: on-ok-succeeded, template: echo, depends: ok.Succeeded}
                      - {name: on-ok-failed, template: echo, depends: ok.Failed}
                      - {name: on-bad-failed, template: echo, depends: bad.Failed}
                      - {name: on-bad-succeeded, template: echo, depends: bad.Succeeded}
                      - {name: on-skip-skipped, template: echo, depends: skip.Skipped}
                      - {name: on-omitted, template: echo, depends: on-ok-failed.Omitted}
                      - {name: either, template: echo, depends: "ok.Failed || bad.Failed"}
                      - {name: not-ok, template: echo, depends: "!ok.Succeeded"}
                \(echoTemplate)
                """)
        ) { $0.displayName == "bad" ? .exit(1) : .ok }
        h.run()
        let expected: [String: NodePhase] = [
            "ok": .succeeded, "bad": .failed, "skip": .skipped, "on-ok-succeeded": .succeeded,
            "on-ok-failed": .omitted, "on-bad-failed": .succeeded, "on-bad-succeeded": .omitted,
            "on-skip-skipped": .succeeded, "on-omitted": .succeeded, "either": .succeeded, "not-ok": .omitted,
        ]
        for (task, phase) in expected {
            #expect(h.node("wf.\(task)")?.phase == phase, "\(task)")
        }
        let omitted = try #require(h.node("wf.on-ok-failed"))
        #expect(omitted.type == .skipped)
        #expect(omitted.message == "omitted: depends condition not met")
        #expect(h.node("wf.skip")?.type == .skipped)
        #expect(!h.startedDisplayNames.contains("on-ok-failed"))
        // `bad` failed and no `continueOn`: it is a leaf-less branch, handled by `on-bad-failed` → the DAG's
        // targets are the leaves; on-bad-succeeded (Omitted) inherits bad's Failed → the workflow fails.
        #expect(h.phase == .failed)
    }

    @Test func failFastStopsNewTasks() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - {name: bad, template: echo}
                      - {name: slow, template: echo}
                      - {name: after-slow, template: echo, dependencies: [slow]}
                \(echoTemplate)
                """)
        ) { pod in
            switch pod.displayName {
            case "bad": return PodAnswer(exitCode: 1, duration: 1)
            case "slow": return PodAnswer(duration: 5)
            default: return .ok
            }
        }
        #expect(h.run() == .failed)
        #expect(h.node("wf.slow")?.phase == .succeeded, "running tasks are waited for")
        #expect(h.node("wf.after-slow") == nil, "no new task after a failure")
        #expect(h.node("wf")?.phase == .failed)
        #expect(h.node("wf")?.message == "child '\(h.node("wf.bad")!.id)' failed")
    }

    @Test func failFastFalseRunsTheRest() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      failFast: false
                      tasks:
                      - {name: bad, template: echo}
                      - {name: slow, template: echo}
                      - {name: after-slow, template: echo, dependencies: [slow]}
                      - {name: after-bad, template: echo, dependencies: [bad]}
                \(echoTemplate)
                """)
        ) { pod in
            switch pod.displayName {
            case "bad": return PodAnswer(exitCode: 1, duration: 1)
            case "slow": return PodAnswer(duration: 5)
            default: return .ok
            }
        }
        #expect(h.run() == .failed)
        #expect(h.node("wf.after-slow")?.phase == .succeeded)
        #expect(h.node("wf.after-bad")?.phase == .omitted)
    }

    @Test func target() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      target: B
                      tasks:
                      - {name: A, template: echo}
                      - {name: B, template: echo, dependencies: [A]}
                      - {name: C, template: echo, dependencies: [A]}
                      - {name: Z, template: echo}
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["A", "B"])
        #expect(h.node("wf.C") == nil)
        #expect(h.node("wf.Z") == nil)
    }

    /// Argo's `examples/dag-continue-on-fail.yaml`: the workflow fails because G is omitted behind E's failure.
    @Test func dagContinueOnFail() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - {name: A, template: echo}
                      - {name: B, depends: A, template: fail, continueOn: {failed: true}}
                      - {name: C, depends: A, template: echo}
                      - {name: D, depends: B && C, template: echo}
                      - {name: E, depends: A, template: fail}
                      - {name: F, depends: A, template: echo}
                      - {name: G, depends: E && F, template: echo}
                  - name: fail
                    container: {image: alpine, command: [sh, -c, exit 1]}
                \(echoTemplate)
                """)
        ) { $0.template == "fail" ? .exit(1) : .ok }
        #expect(h.run() == .failed)
        let expected: [String: NodePhase] = [
            "A": .succeeded, "B": .failed, "C": .succeeded, "D": .succeeded, "E": .failed, "F": .succeeded,
            "G": .omitted,
        ]
        for (task, phase) in expected { #expect(h.node("wf.\(task)")?.phase == phase, "\(task)") }
        #expect(h.node("wf")?.phase == .failed)
    }

    @Test func continueOnFailedLeafSucceeds() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - {name: A, template: echo}
                      - {name: B, dependencies: [A], template: echo, continueOn: {failed: true}}
                \(echoTemplate)
                """)
        ) { $0.displayName == "B" ? .exit(1) : .ok }
        #expect(h.run() == .succeeded)
        #expect(h.node("wf.B")?.phase == .failed)
    }

    @Test func taskOutputs() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - {name: A, template: echo}
                      - name: B
                        dependencies: [A]
                        template: echo
                        arguments:
                          parameters: [{name: x, value: "got {{tasks.A.outputs.result}}"}]
                \(echoTemplate)
                """)
        ) { $0.displayName == "A" ? .out("42") : .ok }
        #expect(h.run() == .succeeded)
        #expect(h.request(displayName: "B")?.argv == ["echo", "got 42"])
    }

    @Test func nestedDAGNames() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - {name: outer, template: inner}
                  - name: inner
                    dag:
                      tasks:
                      - {name: leaf, template: echo}
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        #expect(h.node("wf.outer")?.type == .dag)
        #expect(h.node("wf.outer.leaf")?.boundaryID == h.node("wf.outer")?.id)
    }

    @Test func skippedAndContinuedDependenciesRelease() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - {name: skip, template: echo, when: "a == b"}
                      - {name: bad, template: echo, continueOn: {failed: true}}
                      - {name: after, template: echo, dependencies: [skip, bad]}
                \(echoTemplate)
                """)
        ) { $0.displayName == "bad" ? .exit(1) : .ok }
        #expect(h.run() == .succeeded)
        #expect(h.node("wf.skip")?.phase == .skipped)
        #expect(h.node("wf.after")?.phase == .succeeded)
    }
}
