import Foundation
import SwirlEngine
import Testing

@testable import SwirlExecutor

@Suite("Sandbox overhead")
struct SandboxOverheadTests {
    @Test("running `true` in the sandbox takes well under a second")
    func overhead() async throws {
        let fixture = try SandboxFixture()
        var millis: [Double] = []
        for _ in 0..<20 {
            // Timed on the supervisor's thread: in the full suite, the test's task waited up to 39 s for a thread
            // of the runner's pool once in every run, and that was reported as the sandbox's time.
            let (result, elapsed) = try await fixture.runTimed(try pod(argv: ["true"]))
            #expect(result.exitCode == 0)
            millis.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        let median = millis.sorted()[millis.count / 2]
        print(
            "sandbox overhead for `true`: median \(Int(median)) ms, min \(Int(millis.min() ?? 0)) ms, max \(Int(millis.max() ?? 0)) ms"
        )
        #expect(median < 1000)
    }
}
