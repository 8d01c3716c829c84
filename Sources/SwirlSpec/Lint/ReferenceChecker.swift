import Yams

/// Check 2 and 6: names that must denote a template (`template`, `templateRef`, `onExit`, hooks, `entrypoint`).
extension SpecChecker {
    var isWorkflowKind: Bool { kind == "Workflow" || kind == "CronWorkflow" }

    func checkEntrypoint() {
        let entrypoint = spec.lintField("entrypoint")
        let hasTemplateRef = spec.lintField("workflowTemplateRef").map { !$0.isNull } ?? false
        guard let entrypoint, !entrypoint.isNull else {
            if isWorkflowKind && !hasTemplateRef {
                let names = templateNames.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
                let hint = names.isEmpty ? "" : " (one of \(names))"
                context.report(
                    "missing entrypoint: a \(kind) needs 'entrypoint' naming the template to run\(hint), or a 'workflowTemplateRef'",
                    at: specKey ?? spec, path: specPath + "entrypoint")
            }
            return
        }
        checkTemplateName(entrypoint, at: specPath + "entrypoint", what: "entrypoint")
    }

    /// `onExit` and `hooks` of the spec itself.
    func checkSpecReferences() {
        if let onExit = spec.lintField("onExit") {
            checkTemplateName(onExit, at: specPath + "onExit", what: "onExit")
        }
        checkHooks(spec.lintField("hooks"), at: specPath + "hooks")
        if let ref = spec.lintField("workflowTemplateRef"), case .mapping = ref {
            checkWorkflowTemplateRef(ref, at: specPath + "workflowTemplateRef")
        }
    }

    /// `workflowTemplateRef{name, clusterScope}`: a WorkflowTemplate that is not known yet is a warning.
    func checkWorkflowTemplateRef(_ ref: Node, at path: FieldPath) {
        let cluster = ref.lintField("clusterScope")?.lintBool == true
        let what = cluster ? "ClusterWorkflowTemplate" : "WorkflowTemplate"
        guard let nameNode = ref.lintField("name"), let name = nameNode.lintString else {
            context.report("workflowTemplateRef needs 'name', the \(what) to run", at: ref, path: path + "name")
            return
        }
        let table = cluster ? knownClusterTemplates : knownTemplates
        if table[name] == nil && !name.contains("{{") {
            let hint = NearestName.hint(for: name, among: table.keys)
            context.report(
                "unknown \(what) '\(name)'\(hint); it must exist when the workflow runs", at: nameNode,
                path: path + "name", severity: .warning)
        }
    }

    /// Checks one step or task: exactly one of `template`/`templateRef`/`inline`, and every name it uses.
    func checkInvocation(_ node: Node, at path: FieldPath, kindName: String) {
        guard case .mapping = node else { return }
        let present = ["template", "templateRef", "inline"].filter { key in
            node.lintField(key).map { !$0.isNull } ?? false
        }
        let name = node.lintField("name")?.lintString ?? "?"
        if present.isEmpty {
            context.report(
                "\(kindName) '\(name)' needs one of 'template', 'templateRef' or 'inline'", at: node, path: path)
        } else if present.count > 1 {
            let list = present.map { "'\($0)'" }.joined(separator: " and ")
            context.report(
                "\(kindName) '\(name)' sets both \(list); use only one", at: node.lintKeyNode(present[1]),
                path: path + present[1])
        }
        if let template = node.lintField("template") {
            checkTemplateName(template, at: path + "template", what: "template")
        }
        if let ref = node.lintField("templateRef") {
            checkTemplateRef(ref, at: path + "templateRef")
        }
        if let onExit = node.lintField("onExit") {
            checkTemplateName(onExit, at: path + "onExit", what: "onExit")
        }
        checkHooks(node.lintField("hooks"), at: path + "hooks")
    }

    func checkHooks(_ hooks: Node?, at path: FieldPath) {
        for field in hooks?.lintFields ?? [] {
            let hookPath = path + field.key
            if let template = field.value.lintField("template") {
                checkTemplateName(template, at: hookPath + "template", what: "hook template")
            }
            if let ref = field.value.lintField("templateRef") {
                checkTemplateRef(ref, at: hookPath + "templateRef")
            }
        }
    }

    /// A name that must be one of the spec's templates.
    func checkTemplateName(_ node: Node, at path: FieldPath, what: String) {
        guard let name = node.lintString, !name.contains("{{"), templateNamesComplete else { return }
        if templateNames.contains(name) { return }
        let hint = NearestName.hint(for: name, among: templateNames)
        context.report("unknown template '\(name)'\(hint)", at: node, path: path)
    }

    /// `templateRef{name, template, clusterScope}`: an unknown WorkflowTemplate is a warning (it may be stored
    /// later); an unknown template inside a known one is an error.
    func checkTemplateRef(_ ref: Node, at path: FieldPath) {
        guard case .mapping = ref else { return }
        let cluster = ref.lintField("clusterScope")?.lintBool == true
        let what = cluster ? "ClusterWorkflowTemplate" : "WorkflowTemplate"
        guard let nameNode = ref.lintField("name"), let name = nameNode.lintString else {
            context.report("templateRef needs 'name', the \(what) to use", at: ref, path: path + "name")
            return
        }
        let templateNode = ref.lintField("template")
        guard let templateNode, let template = templateNode.lintString else {
            context.report(
                "templateRef needs 'template', the template of \(what) '\(name)' to run", at: ref,
                path: path + "template")
            return
        }
        if name.contains("{{") || template.contains("{{") { return }
        let table = cluster ? knownClusterTemplates : knownTemplates
        guard let templates = table[name] else {
            let hint = NearestName.hint(for: name, among: table.keys)
            context.report(
                "unknown \(what) '\(name)'\(hint); it must exist when the workflow runs", at: nameNode,
                path: path + "name", severity: .warning)
            return
        }
        if !templates.contains(template) {
            let hint = NearestName.hint(for: template, among: templates.sorted())
            context.report(
                "unknown template '\(template)' in \(what) '\(name)'\(hint)", at: templateNode, path: path + "template")
        }
    }
}
