import Foundation
import Yams

/// The `{{…}}` references in a string, with their text as written.
enum VariableScanner {
    /// Each simple tag's trimmed content (`inputs.parameters.x`) and its full text (`{{ inputs.parameters.x }}`);
    /// expression tags `{{=…}}` are left out.
    static func references(in text: String) -> [(content: String, raw: String)] {
        var result: [(String, String)] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let content = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let raw = String(rest[open.lowerBound..<close.upperBound])
            if !content.hasPrefix("=") { result.append((content, raw)) }
            rest = rest[close.upperBound...]
        }
        return result
    }
}

/// Check 4: `{{inputs.parameters.x}}`, `{{inputs.artifacts.x}}`, `{{steps.X…}}`, `{{tasks.X…}}` and
/// `{{workflow.parameters.x}}` must name something that exists. Other roots are left alone.
extension SpecChecker {
    func checkVariables(_ site: TemplateSite) {
        let inputs = site.node.lintField("inputs")
        let parameters = names(in: inputs?.lintField("parameters"))
        let artifacts = names(in: inputs?.lintField("artifacts"))
        let steps: [String]? = site.node.lintField("steps").map { steps in
            steps.lintItems.flatMap { $0.lintItems.compactMap { $0.lintField("name")?.lintString } }
        }
        let tasks: [String]? = site.node.lintField("dag").map { names(in: $0.lintField("tasks")) }
        let label = site.name.map { "template '\($0)'" } ?? "this inline template"

        var occurrences: [String: Int] = [:]  // per scalar start line + raw text, to place repeated tags
        forEachScalar(in: site.node, at: site.path) { node, path, text in
            occurrences.removeAll(keepingCapacity: true)
            for (content, raw) in VariableScanner.references(in: text) {
                let occurrence = occurrences[raw, default: 0]
                occurrences[raw] = occurrence + 1
                let parts = content.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 2 else { continue }
                var problem: String?
                switch (parts[0], parts[1]) {
                case ("inputs", "parameters") where parts.count >= 3:
                    problem = missing(parts[2], in: parameters, message: "\(label) declares no input parameter")
                case ("inputs", "artifacts") where parts.count >= 3:
                    problem = missing(parts[2], in: artifacts, message: "\(label) declares no input artifact")
                case ("steps", let name) where name != "name":
                    if let steps {
                        problem = missing(name, in: steps, message: "\(label) has no step")
                    } else {
                        problem = "'\(raw)' refers to step '\(name)', but \(label) is not a steps template"
                    }
                case ("tasks", let name) where name != "name":
                    if let tasks {
                        problem = missing(name, in: tasks, message: "\(label) has no task")
                    } else {
                        problem = "'\(raw)' refers to task '\(name)', but \(label) is not a dag template"
                    }
                case ("workflow", "parameters") where parts.count == 3 && parts[2] != "json":
                    if let workflowParameters {
                        problem = missing(
                            parts[2], in: workflowParameters.sorted(),
                            message: "spec.arguments.parameters has no parameter")
                    }
                default:
                    break
                }
                guard let problem else { continue }
                let (line, column) = context.position(of: raw, occurrence: occurrence, from: node)
                context.report("\(problem) (in '\(raw)')", line: line, column: column, path: path)
            }
        }
    }

    /// `"<message> 'x', did you mean 'y'?"` when `name` is not among `valid`, else nil.
    private func missing(_ name: String, in valid: [String], message: String) -> String? {
        if valid.contains(name) || name.isEmpty { return nil }
        return "\(message) '\(name)'\(NearestName.hint(for: name, among: valid))"
    }

    private func names(in list: Node?) -> [String] {
        (list?.lintItems ?? []).compactMap { $0.lintField("name")?.lintString }
    }

    /// Calls `body` for every string of a template, skipping `inline` templates (they are checked on their own).
    private func forEachScalar(in node: Node, at path: FieldPath, _ body: (Node, FieldPath, String) -> Void) {
        switch node {
        case .scalar(let scalar):
            if scalar.string.contains("{{") { body(node, path, scalar.string) }
        case .mapping:
            for field in node.lintFields where field.key != "inline" {
                forEachScalar(in: field.value, at: path + field.key, body)
            }
        case .sequence:
            for (index, item) in node.lintItems.enumerated() {
                forEachScalar(in: item, at: path + index, body)
            }
        case .alias:
            break
        }
    }
}
