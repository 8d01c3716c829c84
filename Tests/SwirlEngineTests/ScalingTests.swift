import Foundation
import SwirlEngine
import SwirlSpec
import Testing

/// Counts work (the engine's `operationCount`), not time, so that an accidental O(n²) fails on any machine.
@Suite(.serialized) struct ScalingTests {
    static func independentDAG(_ count: Int) -> String {
        let tasks = (0..<count).map { "      - {name: t\($0), template: echo}" }.joined(separator: "\n")
        return workflowYAML("  - name: main\n    dag:\n      tasks:\n\(tasks)\n\(echoTemplate)")
    }

    static func chain(_ count: Int) -> String {
        var lines = ["      - {name: t0, template: echo}"]
        for index in 1..<count {
            lines.append("      - {name: t\(index), template: echo, dependencies: [t\(index - 1)]}")
        }
        return workflowYAML("  - name: main\n    dag:\n      tasks:\n\(lines.joined(separator: "\n"))\n\(echoTemplate)")
    }

    static func loop(_ count: Int) -> String {
        let items = (0..<count).map(String.init).joined(separator: ", ")
        return workflowYAML(
            """
              - name: main
                steps:
                - - name: each
                    template: echo
                    arguments: {parameters: [{name: x, value: "{{item}}"}]}
                    withItems: [\(items)]
            \(echoTemplate)
            """)
    }

    struct Measure {
        var operations: Int
        var seconds: Double
        var pods: Int
    }

    static func measure(_ yaml: String, pods expected: Int) throws -> Measure {
        var h = try EngineHarness(yaml)
        let clock = ContinuousClock()
        let start = clock.now
        let phase = h.run()
        let elapsed = clock.now - start
        #expect(phase == .succeeded)
        #expect(h.started.count == expected)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Measure(operations: h.engine.operationCount, seconds: seconds, pods: h.started.count)
    }

    static func check(_ name: String, small: Measure, large: Measure, count: Int) {
        let perTask = Double(large.operations) / Double(count)
        let ratio = Double(large.operations) / Double(small.operations)
        print(
            "scaling \(name): n=\(count / 2) ops=\(small.operations) \(small.seconds)s; n=\(count) ops=\(large.operations) "
                + "\(large.seconds)s; ops/task=\(perTask) ratio=\(ratio) time ratio=\(large.seconds / small.seconds)")
        #expect(perTask <= 50, "\(name): \(perTask) operations per task")
        #expect(ratio < 2.5, "\(name): doubling n multiplied work by \(ratio)")
    }

    @Test func independentDAG10k() throws {
        let small = try Self.measure(Self.independentDAG(5_000), pods: 5_000)
        let large = try Self.measure(Self.independentDAG(10_000), pods: 10_000)
        Self.check("independent DAG", small: small, large: large, count: 10_000)
    }

    @Test func chain1k() throws {
        let small = try Self.measure(Self.chain(500), pods: 500)
        let large = try Self.measure(Self.chain(1_000), pods: 1_000)
        Self.check("chain", small: small, large: large, count: 1_000)
    }

    @Test func withItems1k() throws {
        let small = try Self.measure(Self.loop(500), pods: 500)
        let large = try Self.measure(Self.loop(1_000), pods: 1_000)
        Self.check("withItems", small: small, large: large, count: 1_000)
    }
}
