import Foundation
import SwirlExpr
import SwirlSpec

/// What `{{…}}` can see at one point of the workflow: the template's inputs, the loop item, and the enclosing
/// steps/dag node whose children are `steps.X` / `tasks.X`.
struct Scope {
    var inputs: [String: String] = [:]
    var inputOrder: [String] = []
    var item: JSONValue?
    /// The ID of the Steps or DAG node whose children `steps.X` / `tasks.X` name (an ID, not a copy of the node:
    /// a copy would share its children list and make every append copy it).
    var siblingsOf: String?
    var podName: String?
    var nodeName: String?
    var retries: Int?
    var inputArtifacts: [Artifact] = []
    /// `outputs.parameters.X.path` / `outputs.artifacts.X.path` of the pod template being resolved.
    var outputPaths: [String: String] = [:]

    init() {}

    init(node: NodeStatus) {
        for parameter in node.inputs?.parameters ?? [] {
            inputs[parameter.name] = parameter.value?.value ?? ""
            inputOrder.append(parameter.name)
        }
        inputArtifacts = node.inputs?.artifacts ?? []
        nodeName = node.name
    }
}

extension WorkflowEngine {
    /// The value of a simple `{{name}}` placeholder, or nil when it is not known here (left verbatim).
    func lookup(_ key: String, in scope: Scope) -> String? {
        if key == "item" { return scope.item?.templateText }
        if key.hasPrefix("item.") {
            var value = scope.item
            for part in key.dropFirst(5).split(separator: ".") { value = value?[String(part)] }
            return value?.templateText
        }
        if key.hasPrefix("inputs.parameters.") {
            return scope.inputs[String(key.dropFirst("inputs.parameters.".count))]
        }
        if key == "inputs.parameters" {
            let list = scope.inputOrder.map {
                JSONValue.object(["name": .string($0), "value": .string(scope.inputs[$0] ?? "")])
            }
            return JSONValue.array(list).jsonText
        }
        if key.hasPrefix("inputs.artifacts."), key.hasSuffix(".path") {
            let name = String(key.dropFirst("inputs.artifacts.".count).dropLast(".path".count))
            return scope.inputArtifacts.first { $0.name == name }?.path
        }
        if key.hasPrefix("outputs."), let path = scope.outputPaths[key] { return path }
        if key == "pod.name" { return scope.podName }
        if key == "node.name" { return scope.nodeName }
        if key == "retries" { return scope.retries.map(String.init) }
        if key.hasPrefix("workflow.") { return workflowVariable(String(key.dropFirst("workflow.".count))) }
        if key.hasPrefix("steps.") || key.hasPrefix("tasks.") {
            guard let siblingsOf = scope.siblingsOf.flatMap({ status.nodes[$0] }) else { return nil }
            return siblingVariable(String(key.dropFirst(6)), of: siblingsOf)
        }
        return nil
    }

    /// Global parameters by name (arguments of the workflow).
    var workflowParameters: [(String, String)] {
        (workflow.spec.arguments?.parameters ?? []).map { parameter in
            var value = parameter.value?.value
            if value == nil, let reference = parameter.valueFrom?.configMapKeyRef,
                case .success(let found) = options.configMapValue(reference)
            {
                value = found
            }
            return (parameter.name, value ?? parameter.default?.value ?? "")
        }
    }

    func workflowVariable(_ key: String) -> String? {
        switch key {
        case "name": return name
        case "namespace": return workflow.metadata.namespace ?? "default"
        case "uid": return uid
        case "mainEntrypoint": return workflow.spec.entrypoint
        case "serviceAccountName": return workflow.spec.serviceAccountName ?? "default"
        case "priority": return workflow.spec.priority.map(String.init)
        case "status": return workflowStatusText
        case "creationTimestamp": return workflow.metadata.creationTimestamp
        case "duration":
            guard let started = status.startedAt else { return "0" }
            return String(now.timeIntervalSince(started))
        case "parameters", "parameters.json":
            return JSONValue.object(
                Dictionary(workflowParameters.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { a, _ in a })
            ).jsonText
        case "failures": return workflowFailuresJSON
        default: break
        }
        if key.hasPrefix("parameters.") {
            let wanted = String(key.dropFirst("parameters.".count))
            return workflowParameters.first { $0.0 == wanted }?.1
        }
        if key.hasPrefix("labels.") { return workflow.metadata.labels?[String(key.dropFirst(7))] }
        if key.hasPrefix("annotations.") { return workflow.metadata.annotations?[String(key.dropFirst(12))] }
        if key.hasPrefix("outputs.parameters.") {
            let wanted = String(key.dropFirst("outputs.parameters.".count))
            return status.outputs?.parameters?.first { $0.name == wanted }?.value?.value
        }
        return nil
    }

    /// `{{workflow.status}}`: the entrypoint's outcome once it finished, Running before.
    var workflowStatusText: String {
        guard let root = status.nodes[name], root.phase.isCompleted else { return "Running" }
        return Self.workflowPhase(forRoot: root.phase).rawValue
    }

    static func workflowPhase(forRoot phase: NodePhase) -> WorkflowPhase {
        switch phase {
        case .failed: return .failed
        case .error: return .error
        case .pending: return .pending
        case .running: return .running
        default: return .succeeded
        }
    }

    var workflowFailuresJSON: String {
        let failed = status.nodes.values.filter { $0.type == .pod && $0.phase.isFailure }.sorted { $0.name < $1.name }
        if failed.isEmpty { return "null" }
        let list = failed.map { node -> JSONValue in
            .object([
                "displayName": .string(node.displayName), "message": .string(node.message ?? ""),
                "templateName": .string(node.templateName ?? ""), "phase": .string(node.phase.rawValue),
                "podName": .string(node.podName ?? ""),
                "finishedAt": .string(node.finishedAt.map(ArgoTime.format) ?? ""),
            ])
        }
        return JSONValue.array(list).jsonText
    }

    /// The node of sibling `step` inside a Steps or DAG node (the latest one for steps).
    func siblingNode(_ stepName: String, of scopeNode: NodeStatus) -> NodeStatus? {
        if scopeNode.type == .dag { return status.nodes[nodeID("\(scopeNode.name).\(stepName)")] }
        let groups = scopeNode.children ?? []
        for index in stride(from: groups.count - 1, through: 0, by: -1) {
            if let node = status.nodes[nodeID("\(scopeNode.name)[\(index)].\(stepName)")] { return node }
        }
        return nil
    }

    /// Children of a looped step (steps) or task (its TaskGroup), in item order.
    func loopChildren(_ stepName: String, of scopeNode: NodeStatus) -> [NodeStatus]? {
        if scopeNode.type == .dag {
            guard let group = status.nodes[nodeID("\(scopeNode.name).\(stepName)")], group.type == .taskGroup else {
                return nil
            }
            return (group.children ?? []).compactMap { status.nodes[$0] }
        }
        let groups = scopeNode.children ?? []
        for groupID in groups.reversed() {
            guard let group = status.nodes[groupID] else { continue }
            let members = (group.children ?? []).compactMap { status.nodes[$0] }
                .filter { $0.displayName.hasPrefix("\(stepName)(") }
            if !members.isEmpty { return members }
        }
        return nil
    }

    /// `steps.X.…` / `tasks.X.…` without the prefix.
    func siblingVariable(_ rest: String, of scopeNode: NodeStatus) -> String? {
        if rest == "name" { return nil }
        // Step names may contain dots only in theory; Argo's names cannot, so split at the first dot.
        guard let dot = rest.firstIndex(of: ".") else { return nil }
        let stepName = String(rest[..<dot])
        let field = String(rest[rest.index(after: dot)...])
        if let single = siblingNode(stepName, of: scopeNode), single.type != .taskGroup {
            return nodeVariable(field, of: single)
        }
        guard let members = loopChildren(stepName, of: scopeNode) else { return nil }
        return aggregatedVariable(field, of: members)
    }

    func nodeVariable(_ field: String, of node: NodeStatus) -> String? {
        switch field {
        case "id": return node.id
        case "status": return node.phase.rawValue
        case "startedAt": return node.startedAt.map(ArgoTime.format)
        case "finishedAt": return node.finishedAt.map(ArgoTime.format)
        case "exitCode": return node.outputs?.exitCode
        case "outputs.result": return node.outputs?.result
        case "hostNodeName": return node.hostNodeName
        case "ip": return node.podIP
        case "outputs.parameters":
            let params = node.outputs?.parameters ?? []
            return JSONValue.object(
                Dictionary(
                    params.map { ($0.name, JSONValue.string($0.value?.value ?? "")) }, uniquingKeysWith: { a, _ in a })
            ).jsonText
        default:
            if field.hasPrefix("outputs.parameters.") {
                let wanted = String(field.dropFirst("outputs.parameters.".count))
                return node.outputs?.parameters?.first { $0.name == wanted }?.value?.value
            }
            return nil
        }
    }

    /// Outputs of a looped step as Argo aggregates them: JSON lists.
    func aggregatedVariable(_ field: String, of members: [NodeStatus]) -> String? {
        switch field {
        case "outputs.result":
            let results = members.compactMap { $0.outputs?.result }.map { JSONValue.parse($0) ?? .string($0) }
            return JSONValue.array(results).jsonText
        case "outputs.parameters":
            let list = members.compactMap { node -> JSONValue? in
                guard let params = node.outputs?.parameters, !params.isEmpty else { return nil }
                return .object(
                    Dictionary(
                        params.map { ($0.name, JSONValue.string($0.value?.value ?? "")) },
                        uniquingKeysWith: { a, _ in a }))
            }
            return JSONValue.array(list).jsonText
        default:
            if field.hasPrefix("outputs.parameters.") {
                let wanted = String(field.dropFirst("outputs.parameters.".count))
                let values = members.compactMap { $0.outputs?.parameters?.first { $0.name == wanted }?.value?.value }
                return JSONValue.array(values.map { .string($0) }).jsonText
            }
            return nil
        }
    }

    /// Substitutes `{{…}}` and `{{=…}}` in text.
    func substitute(_ text: String, in scope: Scope) throws -> String {
        guard TemplateString.mayContainTags(text) else { return text }
        return try TemplateString.substitute(
            text, lookup: { lookup($0, in: scope) }, env: { exprEnvironment(scope) }, now: now)
    }

    /// The variables of `{{=…}}` expressions: the same names as placeholders, as nested maps.
    func exprEnvironment(_ scope: Scope) -> [String: ExprValue] {
        var env: [String: ExprValue] = [:]
        var inputParams: [String: ExprValue] = [:]
        for (key, value) in scope.inputs { inputParams[key] = .string(value) }
        var inputArtifacts: [String: ExprValue] = [:]
        for artifact in scope.inputArtifacts { inputArtifacts[artifact.name] = artifact.exprValue }
        env["inputs"] = .map(["parameters": .map(inputParams), "artifacts": .map(inputArtifacts)])
        var wf: [String: ExprValue] = [
            "name": .string(name), "namespace": .string(workflow.metadata.namespace ?? "default"), "uid": .string(uid),
            "status": .string(workflowStatusText),
            "mainEntrypoint": .string(workflow.spec.entrypoint ?? ""),
        ]
        var params: [String: ExprValue] = [:]
        for (key, value) in workflowParameters { params[key] = .string(value) }
        wf["parameters"] = .map(params)
        wf["failures"] = .string(workflowFailuresJSON)
        if let started = status.startedAt { wf["duration"] = .string(String(now.timeIntervalSince(started))) }
        env["workflow"] = .map(wf)
        if let item = scope.item { env["item"] = ExprValue(json: item.jsonText) ?? .string(item.templateText) }
        if let podName = scope.podName { env["pod"] = .map(["name": .string(podName)]) }
        if let retries = scope.retries { env["retries"] = .int(retries) }
        if let scopeNode = scope.siblingsOf.flatMap({ status.nodes[$0] }) {
            var siblings: [String: ExprValue] = [:]
            for name in siblingNames(of: scopeNode) {
                var entry: [String: ExprValue] = [:]
                for field in ["id", "status", "exitCode", "startedAt", "finishedAt"] {
                    if let value = siblingVariable("\(name).\(field)", of: scopeNode) { entry[field] = .string(value) }
                }
                var outputs: [String: ExprValue] = [:]
                if let result = siblingVariable("\(name).outputs.result", of: scopeNode) {
                    outputs["result"] = .string(result)
                }
                if let node = siblingNode(name, of: scopeNode), node.type != .taskGroup {
                    var p: [String: ExprValue] = [:]
                    for param in node.outputs?.parameters ?? [] { p[param.name] = .string(param.value?.value ?? "") }
                    outputs["parameters"] = .map(p)
                    var a: [String: ExprValue] = [:]
                    for artifact in node.outputs?.artifacts ?? [] { a[artifact.name] = artifact.exprValue }
                    outputs["artifacts"] = .map(a)
                }
                entry["outputs"] = .map(outputs)
                siblings[name] = .map(entry)
            }
            env[scopeNode.type == .dag ? "tasks" : "steps"] = .map(siblings)
        }
        return env
    }

    /// Names of the steps/tasks of a scope node's template.
    func siblingNames(of scopeNode: NodeStatus) -> [String] {
        guard let template = template(for: scopeNode) else { return [] }
        if let dag = template.dag { return dag.tasks.map(\.name) }
        return (template.steps ?? []).flatMap { $0.map(\.name) }
    }
}
