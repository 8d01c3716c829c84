import Yams

/// Checks 2–8 over one `WorkflowSpec` node: references between templates, DAG dependencies, variables,
/// duplicate names, the entrypoint and template types. Works on the node tree so every finding has a position,
/// and tolerates any shape (wrong shapes were already reported by `FieldChecker`).
struct SpecChecker {
    /// A template found in the spec: a `spec.templates` entry or an `inline` one inside a step or task.
    struct TemplateSite {
        var name: String?
        var node: Node
        var path: FieldPath
        var isInline: Bool
    }

    let context: LintContext
    /// The document's kind: `Workflow`, `WorkflowTemplate`, `ClusterWorkflowTemplate` or `CronWorkflow`.
    let kind: String
    let spec: Node
    let specPath: FieldPath
    /// The node of the `spec` key (or `workflowSpec`), where whole-spec findings point.
    let specKey: Node?
    /// Known WorkflowTemplates and ClusterWorkflowTemplates: name → their template names.
    let knownTemplates: [String: Set<String>]
    let knownClusterTemplates: [String: Set<String>]

    /// The names of `spec.templates`, in document order.
    let templateNames: [String]
    /// False when templates may come from a `workflowTemplateRef` that is not known, so names cannot be checked.
    let templateNamesComplete: Bool
    /// `spec.arguments.parameters` names, or nil when they cannot be known (templates, `workflowTemplateRef`).
    let workflowParameters: Set<String>?

    init(
        context: LintContext, kind: String, spec: Node, specPath: FieldPath, specKey: Node?,
        knownTemplates: [String: Set<String>], knownClusterTemplates: [String: Set<String>]
    ) {
        self.context = context
        self.kind = kind
        self.spec = spec
        self.specPath = specPath
        self.specKey = specKey
        self.knownTemplates = knownTemplates
        self.knownClusterTemplates = knownClusterTemplates

        var names = (spec.lintField("templates")?.lintItems ?? []).compactMap { $0.lintField("name")?.lintString }
        var complete = true
        var parameters: Set<String>? = Set(
            (spec.lintField("arguments")?.lintField("parameters")?.lintItems ?? []).compactMap {
                $0.lintField("name")?.lintString
            })
        if let ref = spec.lintField("workflowTemplateRef"), !ref.isNull {
            parameters = nil
            let cluster = ref.lintField("clusterScope")?.lintBool == true
            if let name = ref.lintField("name")?.lintString,
                let referenced = (cluster ? knownClusterTemplates : knownTemplates)[name]
            {
                names += referenced.sorted()
            } else {
                complete = false
            }
        }
        if kind == "WorkflowTemplate" || kind == "ClusterWorkflowTemplate" {
            // Their global parameters may come from the workflow that uses them (Argo lints them the same way).
            parameters = nil
        }
        self.templateNames = names
        self.templateNamesComplete = complete
        self.workflowParameters = parameters
    }

    /// Runs every check.
    func run() {
        let sites = templateSites()
        checkEntrypoint()
        checkSpecReferences()
        checkTemplateNames(sites.filter { !$0.isInline })
        checkVolumes(spec.lintField("volumes"), at: specPath + "volumes")
        for site in sites {
            checkTemplateType(site)
            checkTemplateBody(site)
            checkVariables(site)
        }
        if let expressions = context.expressions { checkExpressionSyntax(expressions) }
    }

    /// Every template of the spec, inline ones included, in document order.
    func templateSites() -> [TemplateSite] {
        var sites: [TemplateSite] = []
        for (index, node) in (spec.lintField("templates")?.lintItems ?? []).enumerated() {
            collect(node, path: specPath + "templates" + index, isInline: false, into: &sites)
        }
        return sites
    }

    private func collect(_ node: Node, path: FieldPath, isInline: Bool, into sites: inout [TemplateSite]) {
        guard case .mapping = node else { return }
        sites.append(TemplateSite(name: node.lintField("name")?.lintString, node: node, path: path, isInline: isInline))
        for (invocation, invocationPath) in invocations(of: node, at: path) {
            if let inline = invocation.lintField("inline"), case .mapping = inline {
                collect(inline, path: invocationPath + "inline", isInline: true, into: &sites)
            }
        }
    }

    /// The steps (all groups) and dag tasks of a template, with their paths.
    func invocations(of template: Node, at path: FieldPath) -> [(node: Node, path: FieldPath)] {
        var result: [(Node, FieldPath)] = []
        for (g, group) in (template.lintField("steps")?.lintItems ?? []).enumerated() {
            for (s, step) in group.lintItems.enumerated() {
                result.append((step, path + "steps" + g + s))
            }
        }
        for (t, task) in (template.lintField("dag")?.lintField("tasks")?.lintItems ?? []).enumerated() {
            result.append((task, path + "dag" + "tasks" + t))
        }
        return result
    }
}
