import Foundation
import SwirlEngine
import SwirlRender
import SwirlSpec
import Testing

@Suite struct GetTests {
    let now = Fx.t(60)

    /// The table part of `get`: everything after the header's blank line.
    func tree(_ text: String) -> String {
        String(text[text.range(of: "\n\n")!.upperBound...])
    }

    @Test func stepsExampleMatchesSpecExactly() {
        let text = WorkflowPrinter.get(Fx.stepsExample(), now: now, timeZone: Fx.utc)
        #expect(
            text == """
                Name:                steps-z2zdn
                Namespace:           argo
                ServiceAccount:      unset (will run with the default ServiceAccount)
                Status:              Succeeded
                Conditions:
                 PodRunning          False
                 Completed           True
                Created:             Mon Jan 02 10:00:00 +0000 (1 minute ago)
                Started:             Mon Jan 02 10:00:00 +0000 (1 minute ago)
                Finished:            Mon Jan 02 10:00:10 +0000 (50 seconds ago)
                Duration:            10 seconds
                Progress:            3/3

                STEP            TEMPLATE           PODNAME                 DURATION  MESSAGE
                 ✔ steps-z2zdn  hello-hello-hello
                 ├───✔ hello1   print-message      steps-z2zdn-27420706    2s
                 └─┬─✔ hello2a  print-message      steps-z2zdn-2006760091  3s
                   └─✔ hello2b  print-message      steps-z2zdn-2023537710  3s

                """)
    }

    @Test func nodeFilterHidesNodesItRejects() {
        let text = WorkflowPrinter.get(
            Fx.stepsExample(), now: now, timeZone: Fx.utc, nodeFilter: { $0.displayName.hasPrefix("hello2") })
        let table = tree(text)
        #expect(table.contains("hello2a") && table.contains("hello2b"))
        #expect(!table.contains("hello1 ") && !table.contains(" steps-z2zdn "))
    }

    @Test func noUTF8UsesWordsAndASCIIGlyphs() {
        let text = WorkflowPrinter.get(Fx.stepsExample(), now: now, utf8: false, timeZone: Fx.utc)
        #expect(
            tree(text) == """
                STEP                    TEMPLATE           PODNAME                 DURATION  MESSAGE
                 Succeeded steps-z2zdn  hello-hello-hello
                 |---Succeeded hello1   print-message      steps-z2zdn-27420706    2s
                 `-+-Succeeded hello2a  print-message      steps-z2zdn-2006760091  3s
                   `-Succeeded hello2b  print-message      steps-z2zdn-2023537710  3s

                """)
    }

    @Test func dagDiamondIsOneLevel() {
        let text = WorkflowPrinter.get(Fx.diamond(), now: now, timeZone: Fx.utc)
        #expect(
            tree(text) == """
                STEP      TEMPLATE  PODNAME       DURATION  MESSAGE
                 ✔ dag-x  diamond
                 ├─✔ A    echo      dag-x-echo-1  2s
                 ├─✔ B    echo      dag-x-echo-2  3s
                 ├─✔ C    echo      dag-x-echo-3  2s
                 └─✔ D    echo      dag-x-echo-4  2s

                """)
    }

    func retryWorkflow(attempts: Int) -> WorkflowObject {
        var nodes = [
            Fx.node("retry-x", "retry-x", .steps, template: "main", children: ["retry-x-sg0"], start: 0, end: 30),
            Fx.node(
                "retry-x-sg0", "retry-x[0]", display: "[0]", .stepGroup, boundary: "retry-x",
                children: ["retry-x-r"], start: 0, end: 30),
            Fx.node(
                "retry-x-r", "retry-x[0].flaky", display: "flaky", .retry, template: "flaky",
                boundary: "retry-x", children: (0..<attempts).map { "retry-x-a\($0)" }, start: 0, end: 30),
        ]
        for i in 0..<attempts {
            let last = i == attempts - 1
            nodes.append(
                Fx.node(
                    "retry-x-a\(i)", "retry-x[0].flaky(\(i))", display: "flaky(\(i))", .pod,
                    last ? .succeeded : .failed, template: "flaky", boundary: "retry-x",
                    start: Double(i * 10), end: Double(i * 10 + 4),
                    message: last ? nil : "Error (exit code 1)"))
        }
        return Fx.workflow("retry-x", nodes: nodes, end: 30)
    }

    @Test func retryWithTwoAttemptsShowsBoth() {
        let text = WorkflowPrinter.get(retryWorkflow(attempts: 2), now: now, timeZone: Fx.utc)
        #expect(
            tree(text) == """
                STEP               TEMPLATE  PODNAME     DURATION  MESSAGE
                 ✔ retry-x         main
                 └───✔ flaky       flaky
                     ├─✖ flaky(0)  flaky     retry-x-a0  4s        Error (exit code 1)
                     └─✔ flaky(1)  flaky     retry-x-a1  4s

                """)
    }

    @Test func retryWithOneAttemptIsHidden() {
        let text = WorkflowPrinter.get(retryWorkflow(attempts: 1), now: now, timeZone: Fx.utc)
        #expect(
            tree(text) == """
                STEP             TEMPLATE  PODNAME     DURATION  MESSAGE
                 ✔ retry-x       main
                 └───✔ flaky(0)  flaky     retry-x-a0  4s

                """)
    }

    @Test func failedWorkflowShowsMessages() {
        var wf = Fx.workflow(
            "fail-x", .failed,
            nodes: [
                Fx.node(
                    "fail-x", "fail-x", .pod, .failed, template: "main", start: 0, end: 3,
                    message: "Error (exit code 2)")
            ], end: 3, progress: "0/1")
        wf.status.message = "Error (exit code 2)"
        wf.spec.serviceAccountName = "runner"
        let text = WorkflowPrinter.get(wf, now: Fx.t(3600), timeZone: Fx.utc)
        #expect(
            text == """
                Name:                fail-x
                Namespace:           argo
                ServiceAccount:      runner
                Status:              Failed
                Message:             Error (exit code 2)
                Created:             Mon Jan 02 10:00:00 +0000 (1 hour ago)
                Started:             Mon Jan 02 10:00:00 +0000 (1 hour ago)
                Finished:            Mon Jan 02 10:00:03 +0000 (59 minutes ago)
                Duration:            3 seconds
                Progress:            0/1

                STEP       TEMPLATE  PODNAME  DURATION  MESSAGE
                 ✖ fail-x  main      fail-x   3s        Error (exit code 2)

                """)
    }

    @Test func onExitTreeFollowsBlankRow() {
        let wf = Fx.workflow(
            "exit-x",
            nodes: [
                Fx.node("exit-x", "exit-x", .pod, template: "main", start: 0, end: 5),
                Fx.node(
                    "exit-x-99", "exit-x.onExit", .pod, template: "exit-handler", start: 6, end: 7,
                    pod: "exit-x-exit-handler-99"),
            ], end: 7)
        let text = WorkflowPrinter.get(wf, now: now, timeZone: Fx.utc)
        #expect(
            tree(text) == """
                STEP              TEMPLATE      PODNAME                 DURATION  MESSAGE
                 ✔ exit-x         main          exit-x                  5s

                 ✔ exit-x.onExit  exit-handler  exit-x-exit-handler-99  1s

                """)
    }

    @Test func loopChildrenSortByIndexWhenStartedTogether() {
        let wf = Fx.workflow(
            "loop-x", .running,
            nodes: [
                Fx.node("loop-x", "loop-x", .steps, .running, template: "main", children: ["loop-x-sg0"], start: 0),
                Fx.node(
                    "loop-x-sg0", "loop-x[0]", display: "[0]", .stepGroup, .running, boundary: "loop-x",
                    children: ["loop-x-c", "loop-x-a", "loop-x-b"], start: 0),
                Fx.node(
                    "loop-x-a", "loop-x[0].p(10:k)", display: "p(10:k)", .pod, .running, template: "echo",
                    boundary: "loop-x", start: 0),
                Fx.node(
                    "loop-x-b", "loop-x[0].p(2:c)", display: "p(2:c)", .pod, .pending, template: "echo",
                    boundary: "loop-x", start: 0),
                Fx.node(
                    "loop-x-c", "loop-x[0].p(1:b)", display: "p(1:b)", .pod, template: "echo",
                    boundary: "loop-x", start: 0, end: 5),
            ], progress: "1/3")
        let text = WorkflowPrinter.get(wf, now: Fx.t(90), timeZone: Fx.utc)
        #expect(text.contains("Status:              Running\n"))
        #expect(text.contains("Duration:            1 minute 30 seconds\n"))
        #expect(
            tree(text) == """
                STEP            TEMPLATE  PODNAME   DURATION  MESSAGE
                 ● loop-x       main
                 └─┬─✔ p(1:b)   echo      loop-x-c  5s
                   ├─◷ p(2:c)   echo      loop-x-b  1m
                   └─● p(10:k)  echo      loop-x-a  1m

                """)
    }

    @Test func namesSharingTheirFirstBytesSortByTheWholeName() {
        // The tree sorts on the first eight bytes of the name, then the whole name: these tie on eight bytes, and
        // Go orders bytes, so "Z" (0x5A) comes before "a" and "build-step-10" before "build-step-9".
        let names = ["build-step-9", "build-step-10", "build-step-1", "build-stage", "build-steZ", "build-"]
        // IDs in the opposite order to the names, so that a tie wrongly left to the ID shows.
        let ids = names.indices.map { "d-\(names.count - $0)" }
        var nodes = [Fx.node("d", "d", .dag, .succeeded, template: "main", children: ids, start: 0, end: 5)]
        for (name, id) in zip(names, ids) {
            nodes.append(
                Fx.node(
                    id, "d.\(name)", display: name, .pod, .succeeded, template: "t", boundary: "d", start: 0, end: 5))
        }
        let text = WorkflowPrinter.get(Fx.workflow("d", .succeeded, nodes: nodes), now: now, timeZone: Fx.utc)
        let order = tree(text).split(separator: "\n").dropFirst(2).map { $0.split(separator: " ")[1] }
        #expect(order == ["build-", "build-stage", "build-steZ", "build-step-1", "build-step-10", "build-step-9"])
    }

    @Test func bigTreeIsWrittenInPartsAsOneTable() {
        // Past 5,000 rows the table is measured and written in parts on every core: the result must be the one
        // table the tab writer makes of the same cells. The widest name sits in the last part, the longest
        // message in the first, so each column's width must come from another part than most of its rows.
        let count = 6_000
        func name(_ index: Int) -> String { index == count - 1 ? "n\(index)-the-widest-name" : "n\(index)" }
        let ids = (0..<count).map { String(format: "d-%05d", $0) }
        var nodes = [Fx.node("d", "d", .dag, .failed, template: "main", children: ids, start: 0, end: 9)]
        for index in 0..<count {
            nodes.append(
                Fx.node(
                    ids[index], "d.\(name(index))", display: name(index), .pod, index % 2 == 0 ? .succeeded : .failed,
                    template: "t", boundary: "d", start: Double(index / 1_000), end: Double(index / 1_000 + 3),
                    message: index == 1 ? "a message longer than any other cell" : (index % 2 == 0 ? nil : "exit 1")))
        }
        let text = WorkflowPrinter.get(Fx.workflow("d", .failed, nodes: nodes), now: now, timeZone: Fx.utc)
        var rows = [["STEP", "TEMPLATE", "PODNAME", "DURATION", "MESSAGE", ""], [" ✖ d", "main", "", "", "", ""]]
        // Siblings sort by start second, then by name bytes ("n10" before "n2").
        let order = (0..<count).sorted { a, b in
            a / 1_000 != b / 1_000 ? a < b : Array(name(a).utf8).lexicographicallyPrecedes(Array(name(b).utf8))
        }
        for (position, index) in order.enumerated() {
            rows.append([
                " " + (position == count - 1 ? "└─" : "├─") + (index % 2 == 0 ? "✔ " : "✖ ") + name(index), "t",
                ids[index], "3s",
                index == 1 ? "a message longer than any other cell" : (index % 2 == 0 ? "" : "exit 1"),
                "",
            ])
        }
        #expect(tree(text) == TabWriter(padding: 2, trimsLineEnds: true).format(rows: rows))
    }

    /// As in Argo: the TaskGroup is not drawn (items attach to the DAG), the Omitted node is hidden but
    /// still counts as the last sibling, so `fan(1:b)` keeps a `├─`.
    @Test func dagTaskGroupIsNotDrawn() {
        let wf = Fx.workflow(
            "tg-x",
            nodes: [
                Fx.node("tg-x", "tg-x", .dag, template: "main", children: ["tg-x-g"], start: 0, end: 9),
                Fx.node(
                    "tg-x-g", "tg-x.fan", display: "fan", .taskGroup, template: "echo", boundary: "tg-x",
                    children: ["tg-x-1", "tg-x-0"], start: 0, end: 9),
                Fx.node(
                    "tg-x-0", "tg-x.fan(0:a)", display: "fan(0:a)", .pod, template: "echo", boundary: "tg-x",
                    start: 1, end: 3),
                Fx.node(
                    "tg-x-1", "tg-x.fan(1:b)", display: "fan(1:b)", .pod, .skipped, template: "echo",
                    boundary: "tg-x", start: 1, end: 1),
                Fx.node("tg-x-o", "tg-x.never", display: "never", .skipped, .omitted, boundary: "tg-x", start: 1),
            ], end: 9)
        let text = WorkflowPrinter.get(wf, now: now, timeZone: Fx.utc)
        #expect(
            tree(text) == """
                STEP           TEMPLATE  PODNAME  DURATION  MESSAGE
                 ✔ tg-x        main
                 ├─✔ fan(0:a)  echo      tg-x-0   2s
                 ├─○ fan(1:b)  echo      tg-x-1   0s

                """)
    }

    @Test func wideAddsArtifactsAndNodeName() {
        var wf = Fx.diamond()
        wf.status.nodes["dag-x-1"]!.outputs = Outputs(artifacts: [
            Fx.decode(Artifact.self, #"{"name":"out"}"#), Fx.decode(Artifact.self, #"{"name":"log"}"#),
        ])
        wf.status.nodes["dag-x-1"]!.hostNodeName = "node-1"
        wf.status.nodes["dag-x-4"]!.message = "done"
        let text = WorkflowPrinter.get(wf, now: now, wide: true, timeZone: Fx.utc)
        #expect(
            tree(text) == """
                STEP      TEMPLATE  PODNAME       DURATION  ARTIFACTS  MESSAGE  RESOURCESDURATION  NODENAME
                 ✔ dag-x  diamond
                 ├─✔ A    echo      dag-x-echo-1  2s        out,log                                node-1
                 ├─✔ B    echo      dag-x-echo-2  3s
                 ├─✔ C    echo      dag-x-echo-3  2s
                 └─✔ D    echo      dag-x-echo-4  2s                   done

                """)
    }

    @Test func statusFilterHidesOtherPhases() {
        var wf = Fx.diamond()
        wf.status.nodes["dag-x-3"]!.phase = .failed
        let text = WorkflowPrinter.get(wf, now: now, statusFilter: ["Failed"], timeZone: Fx.utc)
        #expect(
            tree(text) == """
                STEP  TEMPLATE  PODNAME       DURATION  MESSAGE
                 ✖ C  echo      dag-x-echo-3  2s

                """)
    }

    @Test func templateRefAndSuspendAndParameters() {
        var suspend = Fx.node(
            "sus-x-1", "sus-x[0].approve", display: "approve", .suspend, .running,
            boundary: "sus-x", start: 2)
        suspend.templateRef = Fx.decode(TemplateRef.self, #"{"name":"lib","template":"approve"}"#)
        var wf = Fx.workflow(
            "sus-x", .running,
            nodes: [
                Fx.node("sus-x", "sus-x", .steps, .running, template: "main", children: ["sus-x-sg"], start: 0),
                Fx.node(
                    "sus-x-sg", "sus-x[0]", display: "[0]", .stepGroup, .running, boundary: "sus-x",
                    children: ["sus-x-1"], start: 2),
                suspend,
            ], progress: "0/0")
        wf.spec.arguments = Arguments(parameters: [Parameter(name: "message", value: "hi"), Parameter(name: "unset")])
        wf.status.outputs = Outputs(parameters: [Parameter(name: "result", value: "42")])
        let text = WorkflowPrinter.get(wf, now: Fx.t(5), timeZone: Fx.utc)
        #expect(
            text == """
                Name:                sus-x
                Namespace:           argo
                ServiceAccount:      unset (will run with the default ServiceAccount)
                Status:              Running (Suspended)
                Created:             Mon Jan 02 10:00:00 +0000 (5 seconds ago)
                Started:             Mon Jan 02 10:00:00 +0000 (5 seconds ago)
                Duration:            5 seconds
                Progress:            0/0
                Parameters:
                  message:           hi
                Output Parameters:
                  result:            42

                STEP            TEMPLATE     PODNAME  DURATION  MESSAGE
                 ● sus-x        main
                 └───ǁ approve  lib/approve

                """)
    }

    @Test func noTreeWithoutRootNode() {
        let wf = Fx.workflow("new-x", .pending, nodes: [], start: nil, created: 0)
        let text = WorkflowPrinter.get(wf, now: Fx.t(0), timeZone: Fx.utc)
        #expect(
            text == """
                Name:                new-x
                Namespace:           argo
                ServiceAccount:      unset (will run with the default ServiceAccount)
                Status:              Pending
                Created:             Mon Jan 02 10:00:00 +0000 (now)
                Progress:

                """)
    }

    @Test func timeZoneIsApplied() {
        let text = WorkflowPrinter.get(Fx.stepsExample(), now: now, timeZone: TimeZone(secondsFromGMT: -7 * 3600)!)
        #expect(text.contains("Created:             Mon Jan 02 03:00:00 -0700 (1 minute ago)\n"))
    }
}
