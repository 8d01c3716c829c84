import Foundation
import SwirlSpec

/// Reads and writes a node's JSON without Codable for the shape almost every node has: scalar fields, child lists
/// and `outputs` holding only `result`/`exitCode`. Foundation's JSONDecoder spent ~40 µs per node, which made
/// `swirl get` on a 100,000-node workflow take seconds. Nodes of any other shape (inputs, templateRef, output
/// parameters or artifacts, memoization or synchronization status) go through Codable: `decode` and `encode` return
/// nil for them. Both paths read and write the same JSON.
public enum NodeJSON {
    /// How times are written: stored rows use fractional seconds since 1970, Argo's JSON RFC 3339 (`ArgoTime`).
    public enum DateStyle: Sendable {
        case secondsSince1970
        case argo
    }

    /// The node of a stored row (times as seconds since 1970) in the fast shape, or nil when it needs Codable.
    public static func decode(_ text: String) -> NodeStatus? {
        var text = text
        return text.withUTF8 { decode(bytes: $0) }
    }

    /// The node of a stored row's UTF-8 bytes in the fast shape, or nil when it needs Codable.
    public static func decode(bytes: UnsafeBufferPointer<UInt8>) -> NodeStatus? {
        var reader = JSONByteReader(bytes: bytes)
        return reader.node()
    }

    /// The compact JSON of a node in the fast shape, or nil when the node needs the Codable encoder.
    public static func encode(_ node: NodeStatus, dates: DateStyle = .secondsSince1970) -> String? {
        guard node.templateRef == nil, node.inputs == nil, node.memoizationStatus == nil,
            node.synchronizationStatus == nil
        else { return nil }
        if let outputs = node.outputs, outputs.parameters != nil || outputs.artifacts != nil { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func string(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONByteWriter.appendString(value, to: &out)
        }
        func strings(_ name: StaticString, _ values: [String]?) {
            guard let values else { return }
            key(name)
            JSONByteWriter.appendStrings(values, to: &out)
        }
        func date(_ name: StaticString, _ value: Date?) {
            guard let value else { return }
            key(name)
            switch dates {
            case .secondsSince1970: out.append(contentsOf: "\(value.timeIntervalSince1970)".utf8)
            case .argo: JSONByteWriter.appendString(ArgoTime.format(value), to: &out)
            }
        }
        // Keys in byte order, as `.sortedKeys` writes them: the pretty printer then copies rows in one pass.
        string("boundaryID", node.boundaryID)
        strings("children", node.children)
        if let daemoned = node.daemoned {
            key("daemoned")
            out.append(contentsOf: (daemoned ? "true" : "false").utf8)
        }
        string("displayName", node.displayName)
        date("finishedAt", node.finishedAt)
        string("hostNodeName", node.hostNodeName)
        string("id", node.id)
        string("message", node.message)
        string("name", node.name)
        strings("outboundNodes", node.outboundNodes)
        if let outputs = node.outputs {
            key("outputs")
            var firstOutput = true
            for (name, value) in [("exitCode", outputs.exitCode), ("result", outputs.result)] {
                guard let value else { continue }
                out.append(firstOutput ? UInt8(ascii: "{") : UInt8(ascii: ","))
                firstOutput = false
                JSONByteWriter.appendString(name, to: &out)
                out.append(UInt8(ascii: ":"))
                JSONByteWriter.appendString(value, to: &out)
            }
            if firstOutput { out.append(UInt8(ascii: "{")) }
            out.append(UInt8(ascii: "}"))
        }
        string("phase", node.phase.rawValue)
        string("podIP", node.podIP)
        string("podName", node.podName)
        string("progress", node.progress)
        date("startedAt", node.startedAt)
        string("templateName", node.templateName)
        string("templateScope", node.templateScope)
        string("type", node.type.rawValue)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}

extension NodeJSON {
    /// Appends the compact JSON that `encode(_:dates: .argo)` writes for the node of a stored row in the fast shape,
    /// without building the node: values are copied as they are (the row was written by `encode` too) and only the
    /// times are rewritten (seconds since 1970 → RFC 3339). Keys keep the row's order. False, with `out` as it was,
    /// for a row in another shape: decode that one.
    public static func appendArgoJSON(storedRow row: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let mark = out.count
        var reader = JSONByteReader(bytes: row)
        var required = 0  // one bit per key every node has: id, name, displayName, type, phase
        var first = true
        let ok = reader.objectWithRawKeys { reader, key in
            func named(_ literal: StaticString) -> Bool {
                key.count == literal.utf8CodeUnitCount && literal.withUTF8Buffer { key.elementsEqual($0) }
            }
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: key)
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            reader.skipSpace()
            let start = reader.index
            if named("id") || named("name") || named("displayName") {
                required |= named("id") ? 1 : named("name") ? 2 : 4
                guard reader.skipString() else { return false }
            } else if named("type") {
                guard let type = reader.string(), NodeType(rawValue: type) != nil else { return false }
                required |= 8
            } else if named("phase") {
                guard let phase = reader.string(), NodePhase(rawValue: phase) != nil else { return false }
                required |= 16
            } else if named("templateName") || named("templateScope") || named("boundaryID") || named("message")
                || named("progress") || named("podIP") || named("hostNodeName") || named("podName")
            {
                guard reader.skipString() else { return false }
            } else if named("startedAt") || named("finishedAt") {
                guard let seconds = reader.number() else { return false }
                JSONByteWriter.appendString(ArgoTime.format(Date(timeIntervalSince1970: seconds)), to: &out)
                return true
            } else if named("daemoned") {
                guard reader.bool() != nil else { return false }
            } else if named("children") || named("outboundNodes") {
                guard reader.take(UInt8(ascii: "[")) else { return false }
                if !reader.take(UInt8(ascii: "]")) {
                    repeat {
                        guard reader.skipString() else { return false }
                    } while reader.take(UInt8(ascii: ","))
                    guard reader.take(UInt8(ascii: "]")) else { return false }
                }
            } else if named("outputs") {
                // Only `result` and `exitCode` strings, as `encode` writes them (in any order: the pretty printer
                // sorts keys). A null member, which decoding would drop, sends the row the slow way.
                let simple = reader.object { reader, key in
                    (key == "result" || key == "exitCode") && reader.skipString()
                }
                guard simple, !Self.containsNullMember(UnsafeBufferPointer(rebasing: row[start..<reader.index])) else {
                    return false
                }
            } else {
                return false
            }
            out.append(contentsOf: row[start..<reader.index])
            return true
        }
        reader.skipSpace()
        guard ok, reader.index == row.count, required == 31 else {
            out.removeSubrange(mark...)
            return false
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// Whether `:null` occurs in the bytes (possibly inside a string: then the caller only takes the slow way).
    private static func containsNullMember(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let pattern: [UInt8] = Array(":null".utf8)
        guard bytes.count >= pattern.count else { return false }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == UInt8(ascii: ":") {
            if pattern.indices.allSatisfy({ bytes[start + $0] == pattern[$0] }) { return true }
        }
        return false
    }
}

extension JSONByteReader {
    /// The node of a stored row in the fast shape (see `NodeRowCodec`), nil otherwise.
    mutating func node() -> NodeStatus? {
        var id: String?
        var name: String?
        var displayName: String?
        var type: NodeType?
        var phase: NodePhase?
        var node = NodeStatus(id: "", name: "", displayName: "", type: .pod)
        // Keys are matched as bytes: a String per key (fourteen per node) was a fifth of decoding a row.
        let complete = objectWithRawKeys { reader, key in
            func named(_ literal: StaticString) -> Bool {
                key.count == literal.utf8CodeUnitCount && literal.withUTF8Buffer { key.elementsEqual($0) }
            }
            if named("id") {
                id = reader.string()
            } else if named("name") {
                name = reader.string()
            } else if named("displayName") {
                displayName = reader.string()
            } else if named("type") {
                type = reader.string().flatMap(NodeType.init(rawValue:))
                return type != nil
            } else if named("phase") {
                phase = reader.string().flatMap(NodePhase.init(rawValue:))
                return phase != nil
            } else if named("templateName") {
                return reader.string(into: &node.templateName)
            } else if named("templateScope") {
                return reader.string(into: &node.templateScope)
            } else if named("boundaryID") {
                return reader.string(into: &node.boundaryID)
            } else if named("message") {
                return reader.string(into: &node.message)
            } else if named("progress") {
                return reader.string(into: &node.progress)
            } else if named("podIP") {
                return reader.string(into: &node.podIP)
            } else if named("hostNodeName") {
                return reader.string(into: &node.hostNodeName)
            } else if named("podName") {
                return reader.string(into: &node.podName)
            } else if named("startedAt") {
                guard let seconds = reader.number() else { return false }
                node.startedAt = Date(timeIntervalSince1970: seconds)
            } else if named("finishedAt") {
                guard let seconds = reader.number() else { return false }
                node.finishedAt = Date(timeIntervalSince1970: seconds)
            } else if named("daemoned") {
                guard let value = reader.bool() else { return false }
                node.daemoned = value
            } else if named("children") {
                node.children = reader.strings()
                return node.children != nil
            } else if named("outboundNodes") {
                node.outboundNodes = reader.strings()
                return node.outboundNodes != nil
            } else if named("outputs") {
                var outputs = Outputs()
                let ok = reader.object { reader, key in
                    switch key {
                    case "result": return reader.string(into: &outputs.result)
                    case "exitCode": return reader.string(into: &outputs.exitCode)
                    default: return false
                    }
                }
                node.outputs = outputs
                return ok
            } else {
                return false
            }
            return true
        }
        guard complete, let id, let name, let displayName, let type, let phase else { return nil }
        skipSpace()
        guard index == bytes.count else { return nil }
        node.id = id
        node.name = name
        node.displayName = displayName
        node.type = type
        node.phase = phase
        return node
    }
}
