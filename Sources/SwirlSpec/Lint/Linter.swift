import Foundation
import Yams

/// `swirl lint`'s engine: everything Argo would reject (and a few things Swirl cannot run), located by
/// file, line, column and field path, before a workflow reaches the store.
public enum Linter {
    /// The kinds the linter understands.
    static let kinds = ["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"]

    /// Lints every document of the file; never throws, never crashes: bad YAML becomes a diagnostic with its line.
    /// - Parameter expressions: parsers for the expressions embedded in strings; without them those are not checked.
    public static func lint(file: String, expressions: (any ExpressionSyntaxChecker)? = nil) -> [Diagnostic] {
        guard let data = FileManager.default.contents(atPath: file) else {
            return [Diagnostic(file: file, line: 0, column: 0, path: "", message: "cannot read file")]
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return [Diagnostic(file: file, line: 0, column: 0, path: "", message: "file is not UTF-8 text")]
        }
        return lint(text: text, file: file, expressions: expressions)
    }

    /// Lints every document of a YAML or JSON text; `file` names it in diagnostics.
    public static func lint(
        text: String, file: String, expressions: (any ExpressionSyntaxChecker)? = nil
    ) -> [Diagnostic] {
        lint(text: text, file: file, knownTemplates: [:], knownClusterTemplates: [:], expressions: expressions)
    }

    /// Lints with extra templates available by reference (WorkflowTemplates / ClusterWorkflowTemplates stored or
    /// given in the same lint call): name → template names, for checking `templateRef` and `workflowTemplateRef`.
    /// WorkflowTemplates defined in `text` itself are always known.
    public static func lint(
        text: String, file: String, knownTemplates: [String: Set<String>],
        knownClusterTemplates: [String: Set<String>], expressions: (any ExpressionSyntaxChecker)? = nil
    ) -> [Diagnostic] {
        let (documents, parseError) = parse(text: text, file: file)
        return lint(
            documents: documents, parseError: parseError, text: text, file: file, knownTemplates: knownTemplates,
            knownClusterTemplates: knownClusterTemplates, expressions: expressions)
    }

    /// Lints a file and, when it has no errors, decodes its documents from the same parse (`submit` would otherwise
    /// parse every file twice).
    /// - Returns: the findings (warnings included), and the documents when no finding is an error.
    public static func lintAndLoad(file: String, expressions: (any ExpressionSyntaxChecker)? = nil) throws
        -> (diagnostics: [Diagnostic], documents: [ManifestDocument]?)
    {
        guard let data = FileManager.default.contents(atPath: file) else {
            return ([Diagnostic(file: file, line: 0, column: 0, path: "", message: "cannot read file")], nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return ([Diagnostic(file: file, line: 0, column: 0, path: "", message: "file is not UTF-8 text")], nil)
        }
        let (nodes, parseError) = parse(text: text, file: file)
        let (diagnostics, manifests) = lintAndDecode(
            documents: nodes, parseError: parseError, text: text, file: file, knownTemplates: [:],
            knownClusterTemplates: [:], expressions: expressions)
        if diagnostics.contains(where: { $0.severity == .error }) { return (diagnostics, nil) }
        // The models decoded while linting (decoding a 10,000-task DAG again cost a tenth of a second).
        let documents = try zip(nodes, manifests).map { node, manifest in
            ManifestDocument(
                manifest: try manifest ?? ManifestLoader.decode(node: node, file: file), node: node, file: file)
        }
        if documents.isEmpty { throw SpecError(file: file, message: "no documents found") }
        return (diagnostics, documents)
    }

    static func lint(
        documents: [Node], parseError: Diagnostic?, text: String, file: String, knownTemplates: [String: Set<String>],
        knownClusterTemplates: [String: Set<String>], expressions: (any ExpressionSyntaxChecker)?
    ) -> [Diagnostic] {
        lintAndDecode(
            documents: documents, parseError: parseError, text: text, file: file, knownTemplates: knownTemplates,
            knownClusterTemplates: knownClusterTemplates, expressions: expressions
        ).diagnostics
    }

    /// Files from this many lines on decode their typed model on another thread while the checks run (a thread
    /// costs about a tenth of a millisecond; decoding 250 lines, a few milliseconds; a 1,000-task DAG, 25 ms).
    static let linesToDecodeAside = 250

    /// The diagnostics of `documents`, and each one's typed model where it decodes (nil where it does not).
    static func lintAndDecode(
        documents: [Node], parseError: Diagnostic?, text: String, file: String, knownTemplates: [String: Set<String>],
        knownClusterTemplates: [String: Set<String>], expressions: (any ExpressionSyntaxChecker)?
    ) -> (diagnostics: [Diagnostic], manifests: [Manifest?]) {
        let context = LintContext(file: file, text: text, expressions: expressions)
        if let parseError { context.append(parseError) }
        if documents.isEmpty && parseError == nil {
            context.report(
                "empty file: expected a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow",
                line: 1, column: 1, path: FieldPath())
        }

        var known = knownTemplates
        var knownCluster = knownClusterTemplates
        for document in documents {
            guard let kind = document.lintField("kind")?.lintString,
                kind == "WorkflowTemplate" || kind == "ClusterWorkflowTemplate",
                let name = document.lintField("metadata")?.lintField("name")?.lintString
            else { continue }
            let names = Set(
                (document.lintField("spec")?.lintField("templates")?.lintItems ?? []).compactMap {
                    $0.lintField("name")?.lintString
                })
            if kind == "WorkflowTemplate" {
                known[name, default: []].formUnion(names)
            } else {
                knownCluster[name, default: []].formUnion(names)
            }
        }

        let manifests = documents.map { document in
            lintDocument(document, context: context, knownTemplates: known, knownClusterTemplates: knownCluster)
        }
        // Document order; findings on the same spot keep the order the checks ran in.
        let diagnostics = context.diagnostics.enumerated().sorted { a, b in
            (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
        return (diagnostics, manifests)
    }

    /// The documents of a text (empty ones dropped) and the YAML error that stopped reading, if any.
    static func parse(text: String, file: String) -> ([Node], Diagnostic?) {
        var documents: [Node] = []
        do {
            let parser = try Parser.manifest(text)
            while let node = try parser.nextRoot() {
                if node.isNull { continue }
                documents.append(node)
            }
            return (documents, nil)
        } catch let error as YamlError {
            return (documents, diagnostic(for: error, text: text, file: file))
        } catch {
            return (documents, Diagnostic(file: file, line: 0, column: 0, path: "", message: "invalid YAML: \(error)"))
        }
    }

    /// A YAML error as a diagnostic; a duplicate key points at its second occurrence.
    static func diagnostic(for error: YamlError, text: String, file: String) -> Diagnostic {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let (line, column) = secondOccurrence(of: key, after: context.mark, in: text)
            return Diagnostic(
                file: file, line: line, column: column, path: "",
                message: "duplicate key '\(key)' (first at line \(context.mark.line))")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context, !context.text.isEmpty, context.mark.line != mark.line || context.mark.column != mark.column
            {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if mark.line >= 1, mark.line <= lines.count, lines[mark.line - 1].contains("\t") {
                message += "; tabs cannot be used for indentation, use spaces"
            }
            return Diagnostic(file: file, line: mark.line, column: mark.column, path: "", message: message)
        case .reader(let problem, let offset, _, _):
            return Diagnostic(
                file: file, line: 0, column: 0, path: "",
                message: "invalid YAML: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return Diagnostic(file: file, line: 0, column: 0, path: "", message: "invalid YAML: \(error)")
        }
    }

    /// Where a duplicated key appears again at the same indentation; the first occurrence when not found.
    private static func secondOccurrence(of key: String, after mark: Mark, in text: String) -> (Int, Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return (mark.line, mark.column) }
        let first = lines[mark.line - 1]
        let indent = first.unicodeScalars.distance(
            from: first.startIndex, to: first.firstIndex(where: { $0 != " " && $0 != "-" }) ?? first.endIndex)
        for index in mark.line..<lines.count {
            let line = lines[index]
            let trimmed = line.drop(while: { $0 == " " || $0 == "-" })
            let column = line.unicodeScalars.distance(from: line.startIndex, to: trimmed.startIndex)
            guard column == indent else { continue }
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where trimmed.hasPrefix(candidate + ":") {
                return (index + 1, column + 1)
            }
        }
        return (mark.line, mark.column)
    }

    /// Lints one document and returns its typed model when it decodes (nil when it does not, or when the document
    /// is not an object of a known kind).
    @discardableResult
    static func lintDocument(
        _ document: Node, context: LintContext, knownTemplates: [String: Set<String>],
        knownClusterTemplates: [String: Set<String>]
    ) -> Manifest? {
        guard case .mapping = document else {
            context.report(
                "expected a Kubernetes object (a mapping with apiVersion, kind, metadata, spec), found \(document.shapeNoun)",
                at: document, path: FieldPath())
            return nil
        }
        let kind = document.lintField("kind")?.lintString ?? "Workflow"
        guard kinds.contains(kind) else {
            let hint = NearestName.hint(for: kind, among: kinds)
            context.report(
                "unknown kind '\(kind)'\(hint) (expected one of \(kinds.joined(separator: ", ")))",
                at: document.lintField("kind"), path: FieldPath("kind"))
            return nil
        }
        // The typed model catches what the key table does not (a word where a number belongs …). In a big file it is
        // decoded on another core while the checks below read the same (immutable) tree: for a 10,000-task DAG each
        // takes a good part of a second. (A thread costs more than decoding a small file.) Its finding goes where it
        // always went, right after the key table's.
        let tree = UncheckedNode(document)
        let decode: @Sendable () throws -> Manifest = { [file = context.file] in
            try ManifestLoader.decode(node: tree.node, file: file)
        }
        let decoding = context.lines.count >= Self.linesToDecodeAside ? SideTask(decode) : nil
        let before = context.diagnostics.count
        FieldChecker(context: context).check(
            document, as: .object(kind == "CronWorkflow" ? .cronDocument : .document), at: FieldPath())
        let fieldDiagnostics = context.diagnostics[before...].map(\.path)
        let afterFields = context.diagnostics.count
        checkSpec(
            document, kind: kind, context: context, knownTemplates: knownTemplates,
            knownClusterTemplates: knownClusterTemplates)
        do {
            return try decoding?.result() ?? decode()
        } catch let error as SpecError {
            let overlaps = fieldDiagnostics.contains { path in
                path == error.field || path.hasPrefix(error.field + ".") || path.hasPrefix(error.field + "[")
                    || error.field.hasPrefix(path)
            }
            if !overlaps { context.insert(Diagnostic(error), at: afterFields) }
        } catch {
            context.insert(
                Diagnostic(
                    file: context.file, line: document.mark?.line ?? 0, column: document.mark?.column ?? 0, path: "",
                    message: "cannot decode: \(error)"),
                at: afterFields)
        }
        return nil
    }

    /// The checks of a document's spec (`spec.workflowSpec` for a CronWorkflow).
    private static func checkSpec(
        _ document: Node, kind: String, context: LintContext, knownTemplates: [String: Set<String>],
        knownClusterTemplates: [String: Set<String>]
    ) {
        let specPath: FieldPath
        let spec: Node?
        let specKey: Node?
        if kind == "CronWorkflow" {
            let cronSpec = document.lintField("spec")
            spec = cronSpec?.lintField("workflowSpec")
            specKey = cronSpec?.lintKeyNode("workflowSpec") ?? document.lintKeyNode("spec")
            specPath = FieldPath("spec.workflowSpec")
            // A missing `spec` or `workflowSpec` is reported by the typed model's decoder.
        } else {
            spec = document.lintField("spec")
            specKey = document.lintKeyNode("spec")
            specPath = FieldPath("spec")
            if spec == nil {
                context.report("a \(kind) needs 'spec'", at: document, path: specPath)
                return
            }
        }
        guard let spec, case .mapping = spec else { return }
        SpecChecker(
            context: context, kind: kind, spec: spec, specPath: specPath, specKey: specKey,
            knownTemplates: knownTemplates, knownClusterTemplates: knownClusterTemplates
        ).run()
    }
}
