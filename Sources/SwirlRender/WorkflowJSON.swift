import Foundation
import SwirlEngine
import SwirlSpec
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `argo get -o json`'s document, assembled from the stored manifest's JSON text (its `spec` is copied, never
/// decoded) and the status (nodes written by `NodeJSON` where they have the common shape), then pretty-printed by
/// `PrettyJSON`: the same bytes as encoding the `WorkflowObject` with `WorkflowObject.jsonEncoder()`, without
/// Codable's cost on large workflows.
public enum WorkflowJSON {
    /// The document, or nil when the manifest text is not a `Workflow` object this can splice (the caller then
    /// encodes the `WorkflowObject`).
    /// - Parameters:
    ///   - manifestJSON: the stored manifest, compact JSON with keys `apiVersion`, `kind`, `metadata`, `spec`.
    ///   - metadata: the metadata to print (the stored one with uid, name, namespace and creation time filled in).
    public static func document(manifestJSON: String, metadata: ObjectMeta, status: WorkflowStatus) throws -> String? {
        guard let compact = try compactDocument(manifestJSON: manifestJSON, metadata: metadata, status: status)
        else { return nil }
        return PrettyJSON.format(String(decoding: compact, as: UTF8.self))
    }

    /// The compact document; with `nodesPlaceholder`, `status.nodes` is that string instead of the nodes.
    static func compactDocument(
        manifestJSON: String, metadata: ObjectMeta, status: WorkflowStatus, nodesPlaceholder: String? = nil
    ) throws -> [UInt8]? {
        var manifestJSON = manifestJSON
        let parts: (apiVersion: String, spec: String)? = manifestJSON.withUTF8 { bytes in
            var reader = JSONByteReader(bytes: bytes)
            guard let specRange = reader.valueRange(at: ["spec"]) else { return nil }
            reader = JSONByteReader(bytes: bytes)
            guard let apiRange = reader.valueRange(at: ["apiVersion"]) else { return nil }
            return (
                String(decoding: UnsafeBufferPointer(rebasing: bytes[apiRange]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: bytes[specRange]), as: UTF8.self)
            )
        }
        guard let parts else { return nil }
        let encoder = WorkflowObject.jsonEncoder(pretty: false)
        var out: [UInt8] = []
        out.append(contentsOf: #"{"apiVersion":"#.utf8)
        out.append(contentsOf: parts.apiVersion.utf8)
        out.append(contentsOf: #","kind":"Workflow","metadata":"#.utf8)
        out.append(contentsOf: try encoder.encode(metadata))
        out.append(contentsOf: #","spec":"#.utf8)
        out.append(contentsOf: parts.spec.utf8)
        out.append(contentsOf: #","status":"#.utf8)
        try appendStatus(status, encoder: encoder, nodesPlaceholder: nodesPlaceholder, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The same document for a workflow whose nodes come as a list (`status.nodes` is not read). Only the small
    /// rest of the document goes through `PrettyJSON` whole; the nodes are encoded and pretty-printed in parts, one
    /// per core, and spliced in where a placeholder stood: on a 100,000-node workflow that was most of the time.
    public static func document(
        manifestJSON: String, metadata: ObjectMeta, status: WorkflowStatus, nodes: NodeList
    ) throws -> String? {
        guard let chunks = try chunks(manifestJSON: manifestJSON, metadata: metadata, status: status, nodes: nodes)
        else { return nil }
        return String(decoding: chunks.joined(), as: UTF8.self)
    }

    /// Writes that document to `sink` piece by piece, without joining the pieces (for a 100,000-node workflow, tens of
    /// megabytes copied and validated again); false, with nothing written, when it cannot be made this way.
    public static func write(
        manifestJSON: String, metadata: ObjectMeta, status: WorkflowStatus, nodes: NodeList,
        to sink: (UnsafeBufferPointer<UInt8>) -> Void
    ) throws -> Bool {
        try emit(chunks(manifestJSON: manifestJSON, metadata: metadata, status: status, nodes: nodes), to: sink)
    }

    /// The same, from the workflow's node rows as stored, rewritten without decoding them where they have the
    /// common shape (see `NodeJSON.appendArgoJSON`): the same bytes as from the decoded nodes.
    public static func write(
        manifestJSON: String, metadata: ObjectMeta, status: WorkflowStatus, rows: StoredNodeRows,
        to sink: (UnsafeBufferPointer<UInt8>) -> Void
    ) throws -> Bool {
        try emit(chunks(manifestJSON: manifestJSON, metadata: metadata, status: status, nodes: rows), to: sink)
    }

    /// Hands the chunks to `sink` one by one; false when there are none (the document cannot be made this way).
    private static func emit(_ chunks: [ArraySlice<UInt8>]?, to sink: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard let chunks else { return false }
        for chunk in chunks { chunk.withUnsafeBufferPointer(sink) }
        return true
    }

    /// The document as consecutive byte chunks.
    static func chunks(
        manifestJSON: String, metadata: ObjectMeta, status: WorkflowStatus, nodes: some NodeJSONSource
    ) throws -> [ArraySlice<UInt8>]? {
        var header = status
        header.nodes = [:]
        if nodes.count == 0 {
            return try document(manifestJSON: manifestJSON, metadata: metadata, status: header)
                .map { [ArraySlice($0.utf8)] }
        }
        // The nodes block is made on another core while this one pretty-prints the rest (the spec alone is
        // megabytes for a big DAG). It is indented as `status.nodes` always is; checked below.
        let expectedIndent = 4
        let nodesTask = SideTask { try nodesBlock(nodes, indent: expectedIndent) }
        let placeholder = "swirl-nodes-\(UUID().uuidString)"
        guard
            let compact = try compactDocument(
                manifestJSON: manifestJSON, metadata: metadata, status: header, nodesPlaceholder: placeholder),
            let text = PrettyJSON.format(String(decoding: compact, as: UTF8.self))
        else { return nil }
        let quoted = Array("\"\(placeholder)\"".utf8)
        let bytes = Array(text.utf8)
        guard let at = find(quoted, in: bytes) else { return nil }
        let lineStart = (bytes[..<at.lowerBound].lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        let indent = bytes[lineStart..<at.lowerBound].prefix { $0 == UInt8(ascii: " ") }.count
        let made = try nodesTask.result()
        guard let block = indent == expectedIndent ? made : try nodesBlock(nodes, indent: indent) else { return nil }
        return [bytes[..<at.lowerBound]] + block + [bytes[at.upperBound...]]
    }

    /// Where `needle` first occurs in `haystack` (which holds the whole spec, megabytes for a big workflow, where the
    /// generic `firstRange(of:)` took most of a second).
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
                while index <= hay.count - pin.count {
                    if hay[index] == first, memcmp(hay.baseAddress! + index, pin.baseAddress!, pin.count) == 0 {
                        return index..<(index + pin.count)
                    }
                    index += 1
                }
                return nil
            }
        }
    }

    /// The pretty `nodes` object in pieces, its entries in byte order of their IDs, `indent` spaces deep.
    private static func nodesBlock(_ nodes: some NodeJSONSource, indent: Int) throws -> [ArraySlice<UInt8>]? {
        let order = ByteOrder.sortedIndices(nodes.ids)
        let parts = order.count >= 2_000 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        let size = (order.count + parts - 1) / parts
        let encoder = WorkflowObject.jsonEncoder(pretty: false)
        let written = Mutex<[Int: Result<[UInt8]?, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (part * size)..<min(order.count, (part + 1) * size)
            let result = Result { () throws -> [UInt8]? in
                var out: [UInt8] = []
                out.reserveCapacity(range.count * 700)
                var compact: [UInt8] = []
                for position in range {
                    let index = order[position]
                    if position > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(0x0A)
                    Spaces.append(indent + 2, to: &out)
                    JSONByteWriter.appendString(nodes.ids[index], to: &out)
                    out.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
                    compact.removeAll(keepingCapacity: true)
                    try nodes.appendCompactArgoJSON(index, encoder: encoder, to: &compact)
                    let ok = compact.withUnsafeBufferPointer { PrettyJSON.append($0, indent: indent + 2, to: &out) }
                    if !ok { return nil }
                }
                return out
            }
            written.withLock { $0[part] = result }
        }
        var block: [ArraySlice<UInt8>] = [[UInt8(ascii: "{")]]
        for part in 0..<parts {
            guard let bytes = try written.withLock({ $0[part] })?.get() else { return nil }
            block.append(bytes[...])
        }
        block.append(ArraySlice([0x0A] + repeatElement(UInt8(ascii: " "), count: indent) + [UInt8(ascii: "}")]))
        return block
    }

    /// The status as compact JSON: Codable for the workflow-level fields, `NodeJSON` for each node it can write.
    static func appendStatus(
        _ status: WorkflowStatus, encoder: JSONEncoder, nodesPlaceholder: String? = nil, to out: inout [UInt8]
    ) throws {
        var header = status
        header.nodes = [:]
        var text = String(decoding: try encoder.encode(header), as: UTF8.self)
        defer { text = "" }
        let nodesRange: Range<Int>? = text.withUTF8 { bytes in
            var reader = JSONByteReader(bytes: bytes)
            return reader.valueRange(at: ["nodes"])
        }
        guard let nodesRange else {
            out.append(contentsOf: try encoder.encode(status))
            return
        }
        let bytes = Array(text.utf8)
        out.append(contentsOf: bytes[..<nodesRange.lowerBound])
        if let nodesPlaceholder {
            JSONByteWriter.appendString(nodesPlaceholder, to: &out)
            out.append(contentsOf: bytes[nodesRange.upperBound...])
            return
        }
        out.append(UInt8(ascii: "{"))
        var first = true
        for id in status.nodes.keys.sorted(by: ByteOrder.less) {
            guard let node = status.nodes[id] else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONByteWriter.appendString(id, to: &out)
            out.append(UInt8(ascii: ":"))
            if let fast = NodeJSON.encode(node, dates: .argo) {
                out.append(contentsOf: fast.utf8)
            } else {
                out.append(contentsOf: try encoder.encode(node))
            }
        }
        out.append(UInt8(ascii: "}"))
        out.append(contentsOf: bytes[nodesRange.upperBound...])
    }
}

/// Where the nodes of `get -o json` come from: decoded nodes, or stored rows.
protocol NodeJSONSource: Sendable {
    var ids: ContiguousArray<String> { get }
    var count: Int { get }
    /// Appends node `index` as compact Argo JSON (what `WorkflowObject.jsonEncoder` writes for it, uncompressed).
    func appendCompactArgoJSON(_ index: Int, encoder: JSONEncoder, to out: inout [UInt8]) throws
}

extension NodeList: NodeJSONSource {
    func appendCompactArgoJSON(_ index: Int, encoder: JSONEncoder, to out: inout [UInt8]) throws {
        if let fast = NodeJSON.encode(nodes[index], dates: .argo) {
            out.append(contentsOf: fast.utf8)
        } else {
            out.append(contentsOf: try encoder.encode(nodes[index]))
        }
    }
}

extension StoredNodeRows: NodeJSONSource {
    func appendCompactArgoJSON(_ index: Int, encoder: JSONEncoder, to out: inout [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { all in
            let row = UnsafeBufferPointer(rebasing: all[range(index)])
            if NodeJSON.appendArgoJSON(storedRow: row, to: &out) { return }
            // Another shape: decoded as the store decodes it, then written as for a decoded node.
            let node =
                try NodeJSON.decode(bytes: row)
                ?? WorkflowObject.storageDecoder().decode(NodeStatus.self, from: Data(row))
            if let fast = NodeJSON.encode(node, dates: .argo) {
                out.append(contentsOf: fast.utf8)
            } else {
                out.append(contentsOf: try encoder.encode(node))
            }
        }
    }
}
