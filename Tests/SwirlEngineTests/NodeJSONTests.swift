import Foundation
import SwirlEngine
import SwirlSpec
import SwirlTestSupport
import Testing

/// The fast node JSON codec must agree with the Codable one on every node it accepts, and decline the rest.
@Suite struct NodeJSONTests {
    typealias Random = SplitMix64

    static let types: [NodeType] = [.pod, .container, .steps, .stepGroup, .dag, .taskGroup, .retry, .skipped, .suspend]
    static let phases: [NodePhase] = [.pending, .running, .succeeded, .skipped, .failed, .error, .omitted]

    func randomNode(_ random: inout Random) -> NodeStatus {
        var node = NodeStatus(
            id: random.text(), name: random.text(), displayName: random.text(),
            type: Self.types[random.below(Self.types.count)], phase: Self.phases[random.below(Self.phases.count)])
        node.templateName = random.optionalText()
        node.templateScope = random.optionalText()
        node.boundaryID = random.optionalText()
        node.message = random.optionalText()
        node.startedAt = random.date()
        node.finishedAt = random.date()
        node.progress = random.optionalText()
        node.podIP = random.chance(10) ? random.text() : nil
        node.daemoned = random.chance(10) ? random.chance(50) : nil
        if random.chance(50) { node.outputs = Outputs(result: random.optionalText(), exitCode: random.optionalText()) }
        node.children = random.chance(40) ? (0..<random.below(5)).map { _ in random.text() } : nil
        node.outboundNodes = random.chance(20) ? (0..<random.below(3)).map { _ in random.text() } : nil
        node.hostNodeName = random.chance(10) ? random.text() : nil
        node.podName = random.optionalText()
        return node
    }

    @Test func agreesWithCodableOnRandomNodes() throws {
        let encoder = WorkflowObject.storageEncoder()
        let decoder = WorkflowObject.storageDecoder()
        var random = Random(state: 42)
        for _ in 0..<3000 {
            let node = randomNode(&random)
            let fast = try #require(NodeJSON.encode(node))
            #expect(try decoder.decode(NodeStatus.self, from: Data(fast.utf8)) == node, "\(fast)")
            #expect(NodeJSON.decode(fast) == node, "\(fast)")
            let slow = String(decoding: try encoder.encode(node), as: UTF8.self)
            #expect(NodeJSON.decode(slow) == node, "\(slow)")
        }
    }

    /// Argo-style output (RFC 3339 times) must be what `WorkflowObject.jsonEncoder(pretty: false)` writes.
    @Test func argoDatesAgreeWithTheOutputEncoder() throws {
        let encoder = WorkflowObject.jsonEncoder(pretty: false)
        let decoder = JSONDecoder()
        var random = Random(state: 99)
        for _ in 0..<1000 {
            let node = randomNode(&random)
            let fast = try #require(NodeJSON.encode(node, dates: .argo))
            let fastObject = try decoder.decode(JSONValue.self, from: Data(fast.utf8))
            let slowObject = try decoder.decode(JSONValue.self, from: try encoder.encode(node))
            #expect(fastObject == slowObject, "\(fast)")
        }
    }

    @Test func argoTimeMatchesFoundationsISO8601() {
        var random = Random(state: 5)
        for _ in 0..<2000 {
            let date = Date(
                timeIntervalSince1970: Double(random.below(4_000_000_000)) + Double(random.below(1000)) / 1000)
            let foundation = date.formatted(
                .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                    .timeSeparator(.colon).timeZone(separator: .omitted))
            #expect(ArgoTime.format(date) == foundation)
        }
    }

    @Test func declinesRowsOutsideTheFastShape() throws {
        let encoder = WorkflowObject.storageEncoder()
        var node = NodeStatus(id: "w-1", name: "w.a", displayName: "a", type: .pod, phase: .succeeded)
        node.outputs = Outputs(parameters: [Parameter(name: "p")])
        #expect(NodeJSON.encode(node) == nil)
        #expect(NodeJSON.decode(String(decoding: try encoder.encode(node), as: UTF8.self)) == nil)
        node.outputs = nil
        node.memoizationStatus = MemoizationStatus(hit: true, key: "k", cacheName: "c")
        #expect(NodeJSON.encode(node) == nil)
        #expect(NodeJSON.decode(String(decoding: try encoder.encode(node), as: UTF8.self)) == nil)
        #expect(
            NodeJSON.decode(#"{"id":"a","name":"b","displayName":"c","type":"Bogus","phase":"Running"}"#) == nil)
        #expect(NodeJSON.decode(#"{"id":"a","name":"b","displayName":"c","type":"Pod"}"#) == nil)
    }

    /// Cut and corrupted rows never crash the reader and never yield a node Codable would not read the same way.
    @Test func survivesMutatedRows() throws {
        let decoder = WorkflowObject.storageDecoder()
        var random = Random(state: 7)
        for _ in 0..<3000 {
            var bytes = Array(try #require(NodeJSON.encode(randomNode(&random))).utf8)
            switch random.below(3) {
            case 0: bytes.removeLast(random.below(bytes.count) + 1)
            case 1: bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            default:
                let noise = Array("{}[],:\"\\0en".utf8)
                bytes.insert(noise[random.below(noise.count)], at: random.below(bytes.count))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let fast = NodeJSON.decode(text) {
                let slow = try? decoder.decode(NodeStatus.self, from: Data(text.utf8))
                #expect(slow == fast, "\(text)")
            }
        }
    }
}

extension SplitMix64 {
    mutating func text() -> String {
        let pieces = [
            "a", "Z", "0", "-", ".", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "é", "日本", "🙂", "{", "}",
        ]
        return (0..<below(12)).map { _ in pieces[below(pieces.count)] }.joined()
    }
    mutating func optionalText() -> String? { chance(50) ? text() : nil }
    mutating func date() -> Date? {
        chance(70)
            ? Date(timeIntervalSince1970: Double(below(2_000_000_000)) + Double(below(1_000_000)) / 1e6) : nil
    }

}
