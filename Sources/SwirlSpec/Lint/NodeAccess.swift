import Yams

/// Reading a YAML node tree the way a decoder would, but keeping each value's position.
extension Node {
    /// The key/value pairs of a mapping in document order, with merge keys (`<<: *anchor`) expanded;
    /// explicit keys win over merged ones. Empty for anything but a mapping.
    var lintFields: [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = self else { return [] }
        var explicit: [(key: String, keyNode: Node, value: Node)] = []
        var merged: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            if key == "<<", keyNode.scalar?.style == .plain || keyNode.scalar?.style == .any {
                let sources: [Node] = value.sequence.map { Array($0) } ?? [value]
                for source in sources {
                    merged.append(contentsOf: source.lintFields)
                }
            } else {
                explicit.append((key, keyNode, value))
            }
        }
        if merged.isEmpty { return explicit }
        let explicitKeys = Set(explicit.map(\.key))
        var seen = Set<String>()
        let extra = merged.filter { !explicitKeys.contains($0.key) && seen.insert($0.key).inserted }
        return explicit + extra
    }

    /// The value of `key` in a mapping (merge keys included), nil when absent or when this is not a mapping.
    func lintField(_ key: String) -> Node? {
        lintEntry(key)?.value
    }

    /// The key node of `key`, whose mark is where a diagnostic about the field should point.
    func lintKeyNode(_ key: String) -> Node? {
        lintEntry(key)?.keyNode
    }

    /// The entry of `key`: an explicit key is looked up in place, and `lintFields` (which copies every entry) is
    /// built only for a mapping with merge keys and no explicit `key`. Linting a 1,000-task DAG looks fields up
    /// tens of thousands of times.
    private func lintEntry(_ key: String) -> (keyNode: Node, value: Node)? {
        guard case .mapping(let mapping) = self else { return nil }
        var merges = false
        for (keyNode, value) in mapping {
            let name = keyNode.string ?? ""
            if name == "<<", keyNode.scalar?.style == .plain || keyNode.scalar?.style == .any {
                merges = true
            } else if name == key {
                return (keyNode, value)
            }
        }
        guard merges, let field = lintFields.first(where: { $0.key == key }) else { return nil }
        return (field.keyNode, field.value)
    }

    /// The items of a sequence, empty for anything else.
    var lintItems: [Node] {
        guard case .sequence(let sequence) = self else { return [] }
        return Array(sequence)
    }

    /// True for `~`, `null` and an empty value.
    var isNull: Bool {
        guard case .scalar(let scalar) = self else { return false }
        if scalar.style != .plain && scalar.style != .any { return false }
        return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" || scalar.string == "Null"
            || scalar.string == "NULL"
    }

    /// A plain scalar's YAML 1.1 boolean (`true`, `yes`, `on` … in three cases), read from its text alone: Yams'
    /// `bool` reads the scalar's tag, which another thread may be resolving (see `UncheckedNode`).
    var lintBool: Bool? {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return nil }
        switch scalar.string {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// A scalar's text, nil for mappings, sequences and null.
    var lintString: String? {
        guard case .scalar(let scalar) = self, !isNull else { return nil }
        return scalar.string
    }

    /// How a value is described in "found …" messages.
    var shapeNoun: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return isNull ? "null" : "a scalar"
        case .alias: return "an alias"
        }
    }
}

/// Builds field paths like `spec.templates[2].dag.tasks[1].template`.
struct FieldPath: CustomStringConvertible {
    var text: String

    init(_ text: String = "") { self.text = text }

    static func + (lhs: FieldPath, key: String) -> FieldPath {
        FieldPath(lhs.text.isEmpty ? key : "\(lhs.text).\(key)")
    }

    static func + (lhs: FieldPath, index: Int) -> FieldPath {
        FieldPath("\(lhs.text)[\(index)]")
    }

    var description: String { text }
}

/// A YAML tree handed to another thread to read: Yams' `Node` is not `Sendable`, but a parsed tree is never
/// changed, and its reference counts are atomic. One exception: a scalar's `Tag` is a class whose name Yams
/// resolves lazily, in place, the first time anything asks for it (decoding, `bool`, `int`, `==`, hashing). Keys'
/// tags are all resolved while parsing (Yams hashes them to find duplicates); values' tags are resolved by the
/// decoder. So while the decoder runs on another thread, the lint checks read values' text and style only (see
/// `lintBool`), never their tags.
struct UncheckedNode: @unchecked Sendable {
    let node: Node
    init(_ node: Node) { self.node = node }
}
