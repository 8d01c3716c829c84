import Foundation
import SwirlEngine
import SwirlSpec
import Testing

/// `now()` in expressions reads the time of the event the engine handles, never the machine's clock.
@Suite struct ClockTests {
    @Test func nowIsTheEventTime() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - name: stamp
                        template: echo
                        arguments:
                          parameters:
                          - name: x
                            value: "{{=now().Unix()}} {{=now().Format('2006-01-02')}} {{=string(now() - date('2023-11-14'))}}"
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        // The harness clock starts at 1_700_000_000 (2023-11-14T22:13:20Z).
        #expect(h.request(displayName: "stamp")?.argv == ["echo", "1700000000 2023-11-14 22h13m20s"])
    }

    @Test func retryExpressionCanUseTheClock() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    retryStrategy:
                      limit: 5
                      expression: "now() < date('2023-11-14T22:13:22Z')"
                    container: {image: alpine, command: [false]}
                """)
        ) { _ in .exit(1) }
        #expect(h.run() == .failed)
        // Pods take 1s here: attempt 0 fails at 22:13:21 (retry), attempt 1 at 22:13:22 (no more).
        #expect(h.started.count == 2)
    }
}
