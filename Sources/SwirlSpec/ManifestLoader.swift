import Foundation
import Yams

/// An error reading a manifest, located like a compiler message: `file:line:column: field: reason`.
public struct SpecError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var field: String
    public var message: String

    public init(file: String, line: Int = 0, column: Int = 0, field: String = "", message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = file
        if line > 0 { location += ":\(line):\(column)" }
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}

/// One decoded document of a manifest file.
public enum Manifest: Sendable {
    case workflow(Workflow)
    case cronWorkflow(CronWorkflow)

    /// The document's kind (`Workflow`, `WorkflowTemplate` …).
    public var kind: String {
        switch self {
        case .workflow(let wf): return wf.kind
        case .cronWorkflow: return "CronWorkflow"
        }
    }
}

/// A document of a file together with its YAML node tree (for line numbers) and where it starts.
public struct ManifestDocument: @unchecked Sendable {
    public var manifest: Manifest
    public var node: Node
    public var file: String
}

/// Reads Argo manifests from YAML (one or many documents) or JSON text.
public enum ManifestLoader {
    /// Loads every document of a file.
    public static func load(file: String) throws -> [ManifestDocument] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw SpecError(file: file, message: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: file, message: "file is not UTF-8 text")
        }
        return try load(text: text, file: file)
    }

    /// Loads every document of a YAML or JSON text; `file` names it in errors.
    public static func load(text: String, file: String) throws -> [ManifestDocument] {
        let nodes: [Node]
        do {
            // Parser.nextRoot throws on bad YAML (compose_all would stop silently at the first error).
            let parser = try Parser.manifest(text)
            var parsed: [Node] = []
            while let node = try parser.nextRoot() { parsed.append(node) }
            nodes = parsed
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw SpecError(file: file, message: "not valid YAML: \(error)")
        }
        var documents: [ManifestDocument] = []
        for node in nodes {
            if case .scalar(let s) = node, s.string.isEmpty || s.tag == .init(.null) { continue }
            guard case .mapping = node else {
                throw SpecError(
                    file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0,
                    message: "expected a Kubernetes object (a mapping with apiVersion, kind, metadata, spec)")
            }
            documents.append(ManifestDocument(manifest: try decode(node: node, file: file), node: node, file: file))
        }
        if documents.isEmpty { throw SpecError(file: file, message: "no documents found") }
        return documents
    }

    /// Decodes one document's node tree.
    public static func decode(node: Node, file: String) throws -> Manifest {
        let kind = node["kind"]?.string ?? "Workflow"
        if let apiVersion = node["apiVersion"]?.string, apiVersion != "argoproj.io/v1alpha1" {
            let mark = node["apiVersion"]?.mark
            throw SpecError(
                file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, field: "apiVersion",
                message: "unsupported apiVersion '\(apiVersion)', expected 'argoproj.io/v1alpha1'")
        }
        do {
            switch kind {
            case "Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate":
                return .workflow(try NodeDecoder().decode(Workflow.self, from: node))
            case "CronWorkflow":
                return .cronWorkflow(try NodeDecoder().decode(CronWorkflow.self, from: node))
            default:
                let mark = node["kind"]?.mark
                let valid = ManifestKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw SpecError(
                    file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, field: "kind",
                    message: "unknown kind '\(kind)', expected one of \(valid)")
            }
        } catch let error as DecodingError {
            throw decodingError(error, root: node, file: file)
        }
    }

    static func yamlError(_ error: YamlError, file: String) -> SpecError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return SpecError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case .composer(_, let problem, let mark, _):
            return SpecError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let mark = context.mark
            return SpecError(file: file, line: mark.line, column: mark.column, field: key, message: "duplicate key")
        default:
            return SpecError(file: file, message: "invalid YAML: \(error)")
        }
    }

    /// Turns a Codable error into a located message by walking its coding path over the node tree.
    static func decodingError(_ error: DecodingError, root: Node, file: String) -> SpecError {
        let (path, reason): ([CodingKey], String) = {
            switch error {
            case .typeMismatch(let type, let ctx): return (ctx.codingPath, "expected \(describe(type))")
            case .valueNotFound(let type, let ctx): return (ctx.codingPath, "expected \(describe(type)), found null")
            case .keyNotFound(let key, let ctx):
                return (ctx.codingPath, "missing required field '\(key.stringValue)'")
            case .dataCorrupted(let ctx): return (ctx.codingPath, ctx.debugDescription)
            @unknown default: return ([], "\(error)")
            }
        }()
        var node: Node? = root
        var lastMark = root.mark
        var fieldPath = ""
        for key in path {
            if let index = key.intValue {
                node = node?.sequence.flatMap { index < $0.count ? $0[index] : nil }
                fieldPath += "[\(index)]"
            } else {
                node = node?[key.stringValue]
                fieldPath += fieldPath.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
            if let mark = node?.mark { lastMark = mark }
        }
        return SpecError(
            file: file, line: lastMark?.line ?? 0, column: lastMark?.column ?? 0, field: fieldPath, message: reason)
    }

    static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String", "AnyString": return "a string"
        case "Int": return "an integer"
        case "Bool": return "a boolean (true or false)"
        case "Double": return "a number"
        default:
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a mapping (\(name))"
        }
    }
}

/// Argo's random name suffixes for `metadata.generateName`.
public enum NameGenerator {
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// A 5-character suffix as Kubernetes generates (consonants and digits, no vowels).
    public static func suffix<G: RandomNumberGenerator>(using generator: inout G) -> String {
        String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A name for a workflow with this metadata: its `name`, or `generateName` plus a suffix.
    public static func name<G: RandomNumberGenerator>(for metadata: ObjectMeta, using generator: inout G) -> String? {
        if let name = metadata.name, !name.isEmpty { return name }
        guard let prefix = metadata.generateName, !prefix.isEmpty else { return nil }
        return prefix + suffix(using: &generator)
    }
}
