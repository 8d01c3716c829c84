import Yams

/// Check 1: unknown fields and values of the wrong shape, by walking the node tree against `Schema`.
struct FieldChecker {
    let context: LintContext

    /// Checks `node` as a value of `shape` found at `path`.
    func check(_ node: Node, as shape: Schema.Shape, at path: FieldPath) {
        if node.isNull { return }  // an absent value, as decoders read it
        switch shape {
        case .any:
            return
        case .scalar:
            if case .scalar = node { return }
            mismatch(node, expected: shape, at: path)
        case .mapping:
            if case .mapping = node { return }
            mismatch(node, expected: shape, at: path)
        case .map(let valueShape):
            guard case .mapping = node else { return mismatch(node, expected: shape, at: path) }
            for field in node.lintFields {
                check(field.value, as: valueShape, at: path + field.key)
            }
        case .list(let itemShape):
            guard case .sequence = node else { return mismatch(node, expected: shape, at: path) }
            for (index, item) in node.lintItems.enumerated() {
                check(item, as: itemShape, at: path + index)
            }
        case .object(let object):
            guard case .mapping = node else { return mismatch(node, expected: shape, at: path) }
            checkObject(node, object, at: path)
        }
    }

    private func checkObject(_ node: Node, _ object: Schema.Object, at path: FieldPath) {
        let table = Schema.fields[object] ?? [:]
        var volumeSources: [String] = []
        for field in node.lintFields {
            guard let shape = table[field.key] else {
                let hint = NearestName.hint(for: field.key, among: table.keys)
                let message: String
                if object == .volume {
                    message =
                        "unknown field '\(field.key)' in volume\(hint.isEmpty ? ", expected a volume source such as 'emptyDir', 'hostPath' or 'persistentVolumeClaim'" : hint)"
                } else {
                    message = "unknown field '\(field.key)'\(hint)"
                }
                context.report(message, at: field.keyNode, path: path + field.key)
                continue
            }
            if object == .volume, field.key != "name" { volumeSources.append(field.key) }
            check(field.value, as: shape, at: path + field.key)
        }
        if volumeSources.count > 1 {
            let list = volumeSources.map { "'\($0)'" }.joined(separator: ", ")
            context.report("a volume has exactly one source, found \(list)", at: node, path: path)
        }
    }

    private func mismatch(_ node: Node, expected shape: Schema.Shape, at path: FieldPath) {
        context.report("expected \(shape.noun), found \(node.shapeNoun)", at: node, path: path)
    }
}
