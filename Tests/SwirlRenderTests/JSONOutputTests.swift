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

    /// `get -o json` rewrites stored rows without decoding them where it can (`NodeJSON.appendArgoJSON`): the
    /// document must be byte for byte the one the encoder prints, for rows of every shape, awkward strings, and
    /// rows holding nulls (which decoding drops).
    @Test func documentFromStoredRowsEqualsTheEncodedWorkflowObject() throws {
        var wf = Fx.stepsExample()
        var random = Random(state: 11)
        var rows = StoredNodeRows()
        let storage = WorkflowObject.storageEncoder()
        func add(_ node: NodeStatus, row: String? = nil) throws {
            wf.status.nodes[node.id] = node
            let text = try row ?? NodeJSON.encode(node) ?? String(decoding: storage.encode(node), as: UTF8.self)
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBufferPointer { rows.append(id: node.id, json: UnsafeBufferPointer($0)) }
        }
        for index in 0..<600 {
            var node = Fx.node(
                "r-\(index)", "steps-z2zdn[2].\(random.text())", display: random.text(), .pod,
                index % 5 == 0 ? .failed : .succeeded, template: random.text(), boundary: "steps-z2zdn",
                children: index % 7 == 0 ? ["a/\(index)", random.text()] : nil, start: 1_000 + Double(index) / 3,
                end: index % 4 == 0 ? nil : 2_000.5 + Double(index), message: index % 2 == 0 ? random.text() : nil)
            node.daemoned = index % 9 == 0 ? true : nil
            if index % 3 == 0 { node.outputs = Outputs(result: random.text(), exitCode: "\(index % 2)") }
            if index % 50 == 0 { node.inputs = Inputs(parameters: [Parameter(name: "in", value: random.text())]) }
            if index % 60 == 0 { node.outputs = Outputs(parameters: [Parameter(name: "o", value: "v")]) }
            try add(node)
        }
        // Members that decoding drops: the rewrite must not copy them.
        var nulls = Fx.node("z-1", "steps-z2zdn[3].nulls", .pod, start: 5, end: 6)
        nulls.outputs = Outputs(result: "x")
        let plain = try #require(NodeJSON.encode(nulls))
        let withNulls =
            "{\"message\":null,"
            + plain.dropFirst().replacingOccurrences(
                of: #""outputs":{"result":"x"}"#, with: #""outputs":{"exitCode":null,"result":"x"}"#)
        #expect(withNulls.contains("exitCode\":null"))
        try add(nulls, row: withNulls)
        let manifest = String(decoding: try storage.encode(wf.workflow), as: UTF8.self)
        let expected = String(decoding: try WorkflowObject.jsonEncoder().encode(wf), as: UTF8.self)
        var header = wf.status
        for (id, node) in header.nodes where rows.ids.contains(id) == false {
            try add(node)
        }
        header.nodes = [:]
        var document: [UInt8] = []
        #expect(
            try WorkflowJSON.write(
                manifestJSON: manifest, metadata: wf.metadata, status: header, rows: rows,
                to: { document.append(contentsOf: $0) }))
        let lines = String(decoding: document, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(lines, wanted).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(
            first == nil && lines.count == wanted.count,
            "first difference at line \(first ?? -1): \(first.map { "\(lines[$0]) ≠ \(wanted[$0])" } ?? "count")")
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
