import Foundation
import SwirlEngine
import SwirlSpec
import SwirlTestSupport
import Testing

@testable import SwirlRender

/// `get -o json` is printed from bytes (`PrettyJSON`, `WorkflowJSON`); it must equal what JSONEncoder prints.
@Suite struct JSONOutputTests {
    typealias Random = SplitMix64

    @Test func prettyPrintsLikeJSONEncoder() throws {
        let compactEncoder = JSONEncoder()  // escapes slashes, unsorted: what the store writes
        let prettyEncoder = WorkflowObject.jsonEncoder()
        var random = Random(state: 3)
        for _ in 0..<2000 {
            let value = random.value(depth: 0)
            let compact = String(decoding: try compactEncoder.encode(value), as: UTF8.self)
            let expected = String(decoding: try prettyEncoder.encode(value), as: UTF8.self)
            #expect(PrettyJSON.format(compact) == expected, "\(compact)")
        }
    }

    @Test func rejectsMalformedJSON() {
        for text in ["", "{", "[1,", #"{"a" 1}"#, #"{"a":1}}"#, #""unterminated"#, "[1 2]"] {
            #expect(PrettyJSON.format(text) == nil, "\(text)")
        }
    }

    /// The whole document: manifest text spliced, status with fast and Codable nodes, equal to the encoder's bytes.
    @Test func documentEqualsTheEncodedWorkflowObject() throws {
        var wf = Fx.stepsExample()
        wf.spec.arguments = Arguments(parameters: [Parameter(name: "p", value: "a/b \"c\"")])
        var withInputs = Fx.node("x-1", "steps-z2zdn[0].odd", .pod, template: "t", start: 1, end: 2)
        withInputs.inputs = Inputs(parameters: [Parameter(name: "in", value: "v")])
        withInputs.outputs = Outputs(parameters: [Parameter(name: "out", value: "w")], exitCode: "0")
        wf.status.nodes[withInputs.id] = withInputs
        wf.status.outputs = Outputs(parameters: [Parameter(name: "g", value: "1")])
        wf.status.message = "line\nbreak/slash"
        let manifest = String(decoding: try WorkflowObject.storageEncoder().encode(wf.workflow), as: UTF8.self)
        let document = try #require(
            try WorkflowJSON.document(manifestJSON: manifest, metadata: wf.metadata, status: wf.status))
        let expected = String(decoding: try WorkflowObject.jsonEncoder().encode(wf), as: UTF8.self)
        #expect(document == expected)
        #expect(
            try WorkflowJSON.document(
                manifestJSON: manifest, metadata: wf.metadata, status: wf.status, nodes: NodeList(wf.status.nodes))
                == expected)
    }

    @Test func documentFromAnEmptyNodeListEqualsTheEncodedWorkflowObject() throws {
        var wf = Fx.stepsExample()
        wf.status.nodes = [:]
        let manifest = String(decoding: try WorkflowObject.storageEncoder().encode(wf.workflow), as: UTF8.self)
        let document = try WorkflowJSON.document(
            manifestJSON: manifest, metadata: wf.metadata, status: wf.status, nodes: NodeList([:]))
        #expect(document == String(decoding: try WorkflowObject.jsonEncoder().encode(wf), as: UTF8.self))
    }

    @Test func sortedIndicesFollowByteOrder() {
        var random = Random(state: 11)
        for _ in 0..<200 {
            let strings = ContiguousArray((0..<random.below(40)).map { _ in random.text() })
            let sorted = ByteOrder.sortedIndices(strings).map { strings[$0] }
            #expect(sorted == strings.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        }
    }

    /// From a node list, past 2,000 nodes the nodes are encoded in parts on every core: still the encoder's bytes.
    @Test func documentFromManyListedNodesEqualsTheEncodedWorkflowObject() throws {
        var wf = Fx.stepsExample()
        for index in 0..<2_500 {
            var node = Fx.node(
                "n-\(index)", "steps-z2zdn[1].n\(index)", .pod, template: "t", start: Double(index),
                end: 2 + Double(index),
                message: index % 3 == 0 ? "exit \"\(index)\"/" : nil)
            if index % 400 == 0 { node.inputs = Inputs(parameters: [Parameter(name: "in", value: "v\(index)")]) }
            wf.status.nodes[node.id] = node
        }
        let manifest = String(decoding: try WorkflowObject.storageEncoder().encode(wf.workflow), as: UTF8.self)
        let expected = String(decoding: try WorkflowObject.jsonEncoder().encode(wf), as: UTF8.self)
        var header = wf.status
        header.nodes = [:]
        let document = try WorkflowJSON.document(
            manifestJSON: manifest, metadata: wf.metadata, status: header, nodes: NodeList(wf.status.nodes))
        #expect(document == expected)
    }
}

extension SplitMix64 {
    mutating func text() -> String {
        let pieces = [
            "a", "B", "_", "0", "/", " ", "\"", "\\", "\n", "\t", "\u{08}", "\u{0C}", "\u{01}", "é", "🙂", "a10",
            "a9",
        ]
        return (0..<below(6)).map { _ in pieces[below(pieces.count)] }.joined()
    }

    mutating func value(depth: Int) -> JSONValue {
        switch below(depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(below(2) == 0)
        case 2: return .number([0, 1, -2.5, 1e21, 0.1, 123_456_789][below(6)])
        case 3: return .string(text())
        case 4: return .array((0..<below(4)).map { _ in value(depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<below(5) { object[text()] = value(depth: depth + 1) }
            return .object(object)
        }
    }

}
