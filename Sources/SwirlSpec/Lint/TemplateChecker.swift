import Foundation
import Yams

/// Checks 5 and 7: template names and types, and names that must be unique.
extension SpecChecker {
    static let maxTemplateNameLength = 128

    /// Names of `spec.templates`: present, well-formed, unique.
    func checkTemplateNames(_ sites: [TemplateSite]) {
        var seen: [String: Node] = [:]
        for site in sites {
            guard let nameNode = site.node.lintField("name"), let name = nameNode.lintString else {
                context.report("template has no name", at: site.node, path: site.path + "name")
                continue
            }
            if let first = seen[name] {
                context.report(
                    "duplicate template name '\(name)' (first defined at line \(first.mark?.line ?? 0))", at: nameNode,
                    path: site.path + "name")
            } else {
                seen[name] = nameNode
            }
            checkTemplateNamePattern(name, node: nameNode, path: site.path + "name")
        }
    }

    func checkTemplateNamePattern(_ name: String, node: Node, path: FieldPath) {
        if name.count > Self.maxTemplateNameLength {
            context.report(
                "template name '\(name.prefix(20))…' is \(name.count) characters long, the limit is \(Self.maxTemplateNameLength)",
                at: node, path: path)
        } else if !Self.isValidTemplateName(name) {
            context.report(
                "invalid template name '\(name)': use letters, digits and '-', starting with a letter or digit",
                at: node, path: path)
        }
    }

    /// `^[a-zA-Z0-9][-a-zA-Z0-9]*$`
    static func isValidTemplateName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isAlphanumeric(first) else { return false }
        return name.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "-" }
    }

    private static func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }

    /// Exactly one template type; `resource` needs an executor Swirl lacks.
    func checkTemplateType(_ site: TemplateSite) {
        let types = site.node.lintFields.filter { Schema.templateTypes.contains($0.key) && !$0.value.isNull }
        let label = site.name.map { "template '\($0)'" } ?? "inline template"
        if types.isEmpty {
            let all = Schema.templateTypes.joined(separator: ", ")
            context.report("\(label) has no type: set one of \(all)", at: site.node, path: site.path)
        } else if types.count > 1 {
            let list = types.map { "'\($0.key)'" }.joined(separator: " and ")
            context.report(
                "\(label) has more than one type: \(list); a template has exactly one", at: types[1].keyNode,
                path: site.path + types[1].key)
        }
        if let resource = types.first(where: { $0.key == "resource" }) {
            context.report(
                "resource templates need the kubernetes executor, which Swirl does not have yet", at: resource.keyNode,
                path: site.path + "resource")
        }
    }

    /// Steps, tasks, inputs and volumes of one template.
    func checkTemplateBody(_ site: TemplateSite) {
        let node = site.node
        let label = site.name ?? "inline"
        checkUniqueNames(
            node.lintField("inputs")?.lintField("parameters"), at: site.path + "inputs" + "parameters",
            what: "input parameter")
        checkUniqueNames(
            node.lintField("inputs")?.lintField("artifacts"), at: site.path + "inputs" + "artifacts",
            what: "input artifact")
        checkVolumes(node.lintField("volumes"), at: site.path + "volumes")

        if let steps = node.lintField("steps") {
            var seen: [String: Node] = [:]
            for (g, group) in steps.lintItems.enumerated() {
                for (s, step) in group.lintItems.enumerated() {
                    let path = site.path + "steps" + g + s
                    if let nameNode = step.lintField("name"), let name = nameNode.lintString {
                        if let first = seen[name] {
                            context.report(
                                "duplicate step name '\(name)' in template '\(label)' (first defined at line \(first.mark?.line ?? 0))",
                                at: nameNode, path: path + "name")
                        } else {
                            seen[name] = nameNode
                        }
                    }
                    checkInvocation(step, at: path, kindName: "step")
                }
            }
        }
        if let dag = node.lintField("dag") {
            let tasksPath = site.path + "dag" + "tasks"
            checkUniqueNames(dag.lintField("tasks"), at: tasksPath, what: "dag task", in: label)
            for (t, task) in (dag.lintField("tasks")?.lintItems ?? []).enumerated() {
                checkInvocation(task, at: tasksPath + t, kindName: "task")
            }
            checkDAG(dag, at: site.path + "dag")
        }
    }

    /// Volumes: unique names.
    func checkVolumes(_ volumes: Node?, at path: FieldPath) {
        checkUniqueNames(volumes, at: path, what: "volume")
    }

    /// Reports every item of a list whose `name` repeats an earlier one.
    func checkUniqueNames(_ list: Node?, at path: FieldPath, what: String, in template: String? = nil) {
        var seen: [String: Node] = [:]
        for (index, item) in (list?.lintItems ?? []).enumerated() {
            guard let nameNode = item.lintField("name"), let name = nameNode.lintString else { continue }
            if let first = seen[name] {
                let inTemplate = template.map { " in template '\($0)'" } ?? ""
                context.report(
                    "duplicate \(what) name '\(name)'\(inTemplate) (first defined at line \(first.mark?.line ?? 0))",
                    at: nameNode, path: path + index + "name")
            } else {
                seen[name] = nameNode
            }
        }
    }
}
