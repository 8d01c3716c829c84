import Foundation
import SwirlSpec

/// Where a template runs: its node name, display name, and position in the tree.
struct Placement {
    var nodeName: String
    var displayName: String
    var boundaryID: String?
    var parentID: String?
    /// Where template names resolve: nil for the workflow's own templates, or `namespaced/NAME` / `cluster/NAME`
    /// inside a WorkflowTemplate reached by `templateRef` (Argo's `templateScope`).
    var templateScope: String?
}

extension WorkflowEngine {
    /// The template a node runs (by `templateRef` or by name in this workflow).
    func template(for node: NodeStatus) -> Template? {
        if let ref = node.templateRef { return library.template(ref) }
        guard let templateName = node.templateName else { return nil }
        return resolveTemplate(name: templateName, ref: nil, inline: nil, scope: node.templateScope)
    }

    /// Resolves the template of a step or task; plain names resolve inside `scope` (see `Placement.templateScope`).
    func resolveTemplate(name: String?, ref: TemplateRef?, inline: Template?, scope: String? = nil) -> Template? {
        if let inline { return templates.withDefaults(inline) }
        if let ref { return library.template(ref).map(templates.withDefaults) }
        guard let name else { return nil }
        if let scope, let slash = scope.firstIndex(of: "/") {
            let kind = scope[..<slash]
            let owner = String(scope[scope.index(after: slash)...])
            if kind == "namespaced" || kind == "cluster" {
                return library.template(TemplateRef(name: owner, template: name, clusterScope: kind == "cluster"))
                    .map(templates.withDefaults)
            }
        }
        return templates[name]
    }

    /// The scope that templates invoked by `ref` (or by plain name from `current`) resolve in.
    static func childScope(ref: TemplateRef?, current: String?) -> String? {
        guard let ref, let name = ref.name else { return current }
        return (ref.clusterScope ?? false) ? "cluster/\(name)" : "namespaced/\(name)"
    }

    /// Runs `template` at `placement` with the given argument values; returns the new node's ID.
    @discardableResult
    mutating func invoke(
        template: Template, templateRef: TemplateRef?, at placement: Placement, arguments: [String: String],
        artifacts: [String: Artifact] = [:], scope callerScope: Scope = Scope()
    ) -> String {
        let templateName = templateRef == nil ? template.name : templateRef?.template
        // Resolve inputs: an argument beats the input's value, `default` applies when nothing is supplied.
        var resolved: [Parameter] = []
        var missing: String?
        var wfScope = Scope()
        wfScope.nodeName = placement.nodeName
        for input in template.inputs?.parameters ?? [] {
            var value = arguments[input.name] ?? input.value?.value
            if value == nil, let reference = input.valueFrom?.configMapKeyRef {
                switch options.configMapValue(reference) {
                case .success(let found): value = found
                case .failure(let error):
                    if input.default == nil {
                        missing = missing ?? "inputs.parameters.\(input.name): \(error.description)"
                        continue
                    }
                }
            }
            value = value ?? input.default?.value
            if let raw = value { value = (try? substitute(raw, in: wfScope)) ?? raw }
            guard let value else {
                missing = missing ?? "inputs.parameters.\(input.name) was not supplied"
                continue
            }
            if let allowed = input.enum, !allowed.isEmpty, !allowed.contains(where: { $0.value == value }) {
                missing =
                    missing ?? "inputs.parameters.\(input.name) value '\(value)' is not one of \(allowed.map(\.value))"
            }
            var parameter = Parameter(name: input.name, value: value)
            parameter.default = input.default
            resolved.append(parameter)
        }
        var boundArtifacts: [Artifact] = []
        do {
            // A template's own artifact locations see its resolved input parameters.
            var ownScope = callerScope
            ownScope.inputs = [:]
            ownScope.inputOrder = []
            for parameter in resolved {
                ownScope.inputs[parameter.name] = parameter.value?.value ?? ""
                ownScope.inputOrder.append(parameter.name)
            }
            boundArtifacts = try bindInputArtifacts(template, arguments: artifacts, scope: ownScope)
        } catch {
            missing = missing ?? "\(error)"
        }
        let inputs =
            resolved.isEmpty && boundArtifacts.isEmpty
            ? nil
            : Inputs(
                parameters: resolved.isEmpty ? nil : resolved, artifacts: boundArtifacts.isEmpty ? nil : boundArtifacts)
        if let missing {
            var node = createNode(
                name: placement.nodeName, displayName: placement.displayName, type: nodeType(for: template),
                templateName: templateName, boundaryID: placement.boundaryID, parentID: placement.parentID,
                phase: .pending)
            node.templateRef = templateRef
            node.templateScope = placement.templateScope
            put(node)
            complete(node.id, phase: .error, message: missing)
            return node.id
        }
        if let strategy = template.retryStrategy ?? workflow.spec.retryStrategy, template.kind != .unknown {
            _ = strategy
            var retry = createNode(
                name: placement.nodeName, displayName: placement.displayName, type: .retry, templateName: templateName,
                boundaryID: placement.boundaryID, parentID: placement.parentID)
            retry.inputs = inputs
            retry.templateRef = templateRef
            retry.templateScope = placement.templateScope
            put(retry)
            startRetryAttempt(retryID: retry.id)
            return retry.id
        }
        return invokeBody(template: template, templateRef: templateRef, at: placement, inputs: inputs, retries: nil)
    }

    func nodeType(for template: Template) -> NodeType {
        switch template.kind {
        case .steps: return .steps
        case .dag: return .dag
        case .suspend: return .suspend
        case .http: return .http
        case .plugin: return .plugin
        default: return .pod
        }
    }

    /// Runs one attempt of a template (no retry wrapper).
    @discardableResult
    mutating func invokeBody(
        template: Template, templateRef: TemplateRef?, at placement: Placement, inputs: Inputs?, retries: Int?
    ) -> String {
        let templateName = templateRef == nil ? template.name : templateRef?.template
        let type = nodeType(for: template)
        var node = createNode(
            name: placement.nodeName, displayName: placement.displayName, type: type, templateName: templateName,
            boundaryID: placement.boundaryID, parentID: placement.parentID, phase: .pending)
        node.inputs = inputs
        node.templateRef = templateRef
        node.templateScope = placement.templateScope
        put(node)
        if shutdown != nil {
            complete(node.id, phase: .failed, message: shutdownMessage)
            return node.id
        }
        if template.synchronization != nil, awaitLocks(template, nodeID: node.id) { return node.id }
        if template.memoize != nil, awaitMemo(template, nodeID: node.id) { return node.id }
        runBody(template: template, nodeID: node.id)
        return node.id
    }

    /// Starts the work of a created node: queues its pod, or starts its steps, DAG or suspension.
    mutating func runBody(template: Template, nodeID: String) {
        guard var node = detached(nodeID) else { return }
        let templateName = node.templateName
        switch template.kind {
        case .container, .script, .containerSet, .http, .data:
            node.podName = NodeNaming.podName(workflowName: name, nodeName: node.name, templateName: templateName ?? "")
            if template.data == nil, template.http == nil,
                let image = (template.container ?? template.script ?? template.containerSet?.containers?.first)?.image
            {
                node.message = "image \(image): running on the host root"
            }
            put(node)
            podQueue.append(node.id)
        case .steps:
            node.phase = .running
            put(node)
            startStepGroup(stepsID: node.id, index: 0)
        case .dag:
            node.phase = .running
            put(node)
            startDAG(dagID: node.id)
        case .suspend:
            node.phase = .running
            put(node)
            if let text = template.suspend?.duration?.value, let seconds = GoDuration.seconds(text) {
                timers[node.id] = now.addingTimeInterval(seconds)
                pendingActions.append(.wakeAt(now.addingTimeInterval(seconds)))
            }
        case .unknown:
            complete(node.id, phase: .error, message: "template '\(templateName ?? "")' has no template type")
        default:
            complete(
                node.id, phase: .error,
                message: "\(template.kind.rawValue) templates are not supported by Swirl yet")
        }
    }

    var shutdownMessage: String {
        requestedShutdown == .terminate ? "Stopped with strategy 'Terminate'" : "Stopped with strategy 'Stop'"
    }
}

/// Go-style durations ("30s", "1m30s", "2h") and plain seconds ("20").
public enum GoDuration {
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let plain = Double(trimmed) { return plain }
        var total = 0.0
        var number = ""
        var index = trimmed.startIndex
        var sawUnit = false
        while index < trimmed.endIndex {
            let char = trimmed[index]
            if char.isNumber || char == "." {
                number.append(char)
                index = trimmed.index(after: index)
                continue
            }
            var unit = String(char)
            let next = trimmed.index(after: index)
            if next < trimmed.endIndex,
                (char == "m" && trimmed[next] == "s") || (char == "u" && trimmed[next] == "s")
                    || (char == "n" && trimmed[next] == "s")
            {
                unit.append("s")
                index = trimmed.index(after: next)
            } else {
                index = next
            }
            guard let value = Double(number) else { return nil }
            number = ""
            sawUnit = true
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1000
            case "us": total += value / 1_000_000
            case "ns": total += value / 1_000_000_000
            case "d": total += value * 86400
            default: return nil
            }
        }
        if !number.isEmpty { return nil }
        return sawUnit ? total : nil
    }
}
