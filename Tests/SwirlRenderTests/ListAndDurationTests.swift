import Foundation
import SwirlEngine
import SwirlSpec
import Testing

@testable import SwirlRender

@Suite struct ListTests {
    @Test func listAlignsWithPaddingThree() {
        let a = Fx.workflow("wf-a", .running, nodes: [], start: 0, created: 0)
        let b = Fx.workflow("wf-b", .succeeded, nodes: [], start: -3600, end: -3558, created: -3600)
        var c = Fx.workflow("wf-c-long-name", .failed, nodes: [], start: -172_800, end: -172_710, created: -172_800)
        c.spec.priority = 5
        c.status.message = "child 'x' failed"
        let text = WorkflowPrinter.list([a, b, c], now: Fx.t(300))
        #expect(
            text == """
                NAME             STATUS      AGE   DURATION   PRIORITY   MESSAGE
                wf-a             Running     5m    5m         0
                wf-b             Succeeded   1h    42s        0
                wf-c-long-name   Failed      2d    1m         5          child 'x' failed

                """)
    }

    @Test func listOfNothingIsTheHeader() {
        #expect(WorkflowPrinter.list([], now: Fx.t(0)) == "NAME   STATUS   AGE   DURATION   PRIORITY   MESSAGE\n")
    }

    @Test func statusTexts() {
        var wf = Fx.workflow("s", .failed, nodes: [])
        wf.spec.shutdown = "Terminate"
        #expect(WorkflowPrinter.statusText(wf) == "Failed (Terminated)")
        wf.status.phase = .running
        #expect(WorkflowPrinter.statusText(wf) == "Running")
        wf.spec.suspend = true
        #expect(WorkflowPrinter.statusText(wf) == "Running (Suspended)")
        let unknown = Fx.workflow("u", .unknown, nodes: [], start: nil, created: nil)
        #expect(WorkflowPrinter.statusText(unknown) == "Unknown")
    }
}

@Suite struct DurationTests {
    @Test(
        arguments: [
            (0.0, "0s"), (0.5, "0s"), (1, "1s"), (1.9, "1s"), (2, "2s"), (59, "59s"), (60, "1m"), (119, "1m"),
            (120, "2m"), (3599, "59m"), (3600, "1h"), (7200, "2h"), (86399, "23h"), (86400, "1d"),
            (172_800, "2d"), (2_592_000, "30d"), (-5, "5s"),
        ] as [(Double, String)])
    func short(seconds: Double, expected: String) {
        #expect(WorkflowPrinter.shortDuration(seconds) == expected)
    }

    @Test(
        arguments: [
            (0.0, "0 seconds"), (1, "1 second"), (10, "10 seconds"), (59.9, "59 seconds"), (60, "1 minute 0 seconds"),
            (65, "1 minute 5 seconds"), (125, "2 minutes 5 seconds"), (3600, "1 hour 0 minutes"),
            (3 * 3600 + 180, "3 hours 3 minutes"), (86400 + 4 * 3600, "1 day 4 hours"), (3 * 86400, "3 days 0 hours"),
            (8 * 86400, "1 week 0 hours"),
        ] as [(Double, String)])
    func long(seconds: Double, expected: String) {
        #expect(WorkflowPrinter.longDuration(seconds) == expected)
    }
}

@Suite struct TabWriterTests {
    @Test func goTabwriterSemantics() {
        // The last cell of a line is never aligned; a shorter line ends a column block.
        let text = TabWriter(padding: 2).format("a\tbbb\tc\naaaa\tb\nx\ny\tz\n")
        #expect(text == "a     bbb  c\naaaa  b\nx\ny  z\n")
    }

    @Test func widthCountsScalars() {
        let text = TabWriter(padding: 1).format(rows: [["✔ é", "x"], ["abcd", "y"]])
        #expect(text == "✔ é  x\nabcd y\n")
        #expect(TabWriter.scalarCount("✔ é") == 3)
        #expect(TabWriter.scalarCount("") == 0)
        #expect(TabWriter.scalarCount("👩‍💻x") == 4)  // woman, joiner, laptop, x
    }

    @Test func trimmedLineEnds() {
        let rows = [["a", "bbbb", ""], ["cc", "", ""], ["d ", "e", "f  "]]
        #expect(TabWriter(padding: 2).format(rows: rows) == "a   bbbb  \ncc        \nd   e     f  \n")
        #expect(TabWriter(padding: 2, trimsLineEnds: true).format(rows: rows) == "a   bbbb\ncc\nd   e     f\n")
    }
}
