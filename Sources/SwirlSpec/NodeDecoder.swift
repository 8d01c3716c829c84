import Foundation
import Yams

/// Decodes a `Decodable` from a Yams node tree, fast: each mapping is indexed once (Yams' own decoder searches
/// mappings linearly and resolves tags with regular expressions on every key lookup, which made a 10,000-task
/// DAG take seconds). Scalars keep their text for `String`; plain scalars also read as numbers and booleans, quoted
/// ones only as strings. Merge keys (`<<`) are expanded. Errors are ordinary `DecodingError`s with coding paths.
public struct NodeDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        try T(from: NodeDecoding(node: node, codingPath: []))
    }
}

/// A mapping's entries by key, with merge keys applied (explicit keys win over merged ones).
private func entries(of mapping: Node.Mapping) -> [String: Node] {
    var result: [String: Node] = [:]
    var merged: [Node] = []
    for (key, value) in mapping {
        guard let name = key.string else { continue }
        if name == "<<" && key.scalar?.style == .plain {
            merged.append(value)
        } else {
            result[name] = value
        }
    }
    for source in merged {
        let mappings: [Node.Mapping]
        switch source {
        case .mapping(let m): mappings = [m]
        case .sequence(let s): mappings = s.compactMap { $0.mapping }
        default: mappings = []
        }
        for m in mappings {
            for (key, value) in entries(of: m) where result[key] == nil { result[key] = value }
        }
    }
    return result
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

private struct NodeDecoding: Decoder {
    let node: Node
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw DecodingError.typeMismatch(
                [String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a mapping"))
        }
        return KeyedDecodingContainer(Keyed<Key>(entries: entries(of: mapping), codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: codingPath, debugDescription: "expected a list"))
        }
        return Unkeyed(items: Array(sequence), codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(node: node, codingPath: codingPath) }
}

private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [String: Node]
    let codingPath: [CodingKey]
    var allKeys: [Key] { entries.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }

    func child(_ key: Key) throws -> Node {
        guard let node = entries[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool { Single.isNull(try child(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: NodeDecoding(node: try child(key), codingPath: codingPath + [key]))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = entries[key.stringValue], !Single.isNull(node) else { return nil }
        return try T(from: NodeDecoding(node: node, codingPath: codingPath + [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try NodeDecoding(node: try child(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try NodeDecoding(node: try child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { NodeDecoding(node: .mapping(Node.Mapping([])), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> Decoder {
        NodeDecoding(node: try child(key), codingPath: codingPath + [key])
    }
}

private struct Unkeyed: UnkeyedDecodingContainer {
    let items: [Node]
    let codingPath: [CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [Node], codingPath: [CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    mutating func next() throws -> (Node, [CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath, debugDescription: "no more items"))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], codingPath + [AnyKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, Single.isNull(items[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, path) = try next()
        return try T(from: NodeDecoding(node: node, codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (node, path) = try next()
        return try NodeDecoding(node: node, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (node, path) = try next()
        return try NodeDecoding(node: node, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (node, path) = try next()
        return NodeDecoding(node: node, codingPath: path)
    }
}

private struct Single: SingleValueDecodingContainer {
    let node: Node
    let codingPath: [CodingKey]

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        if scalar.tag.rawValue == Tag.Name.null.rawValue { return true }
        guard scalar.style == .plain else { return false }
        return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" || scalar.string == "Null"
            || scalar.string == "NULL"
    }

    func scalar(_ type: Any.Type) throws -> Node.Scalar {
        guard case .scalar(let scalar) = node else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected a scalar"))
        }
        return scalar
    }

    /// The text of a plain (unquoted) scalar, for numbers and booleans.
    func plain(_ type: Any.Type) throws -> String {
        let scalar = try scalar(type)
        guard scalar.style == .plain else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "quoted string"))
        }
        return scalar.string
    }

    func mismatch(_ type: Any.Type, _ text: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "'\(text)' is not a \(type)"))
    }

    func decodeNil() -> Bool { Self.isNull(node) }

    func decode(_ type: Bool.Type) throws -> Bool {
        let text = try plain(type)
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: throw mismatch(type, text)
        }
    }

    func decode(_ type: String.Type) throws -> String { try scalar(type).string }

    func decode(_ type: Double.Type) throws -> Double {
        let text = try plain(type)
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default:
            guard let value = Double(text.replacingOccurrences(of: "_", with: "")), text.first != "." || text.count > 1
            else { throw mismatch(type, text) }
            return value
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let text = try plain(type)
        if let value = T(text) { return value }
        if text.hasPrefix("0x"), let value = T(text.dropFirst(2), radix: 16) { return value }
        if text.hasPrefix("0o"), let value = T(text.dropFirst(2), radix: 8) { return value }
        throw mismatch(type, text)
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: NodeDecoding(node: node, codingPath: codingPath))
    }
}
