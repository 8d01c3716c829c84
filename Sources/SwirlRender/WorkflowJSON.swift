import Foundation
import SwirlEngine
import SwirlSpec

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
        try appendStatus(status, encoder: encoder, to: &out)
        out.append(UInt8(ascii: "}"))
        return PrettyJSON.format(String(decoding: out, as: UTF8.self))
    }

    /// The status as compact JSON: Codable for the workflow-level fields, `NodeJSON` for each node it can write.
    static func appendStatus(_ status: WorkflowStatus, encoder: JSONEncoder, to out: inout [UInt8]) throws {
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
