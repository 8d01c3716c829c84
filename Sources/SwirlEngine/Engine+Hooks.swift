import Foundation
import SwirlExpr
import SwirlSpec

extension WorkflowEngine {
    /// The step or task a node was created for (its loop children share it); nil for roots and retry attempts.
    func invocation(of node: NodeStatus) -> (any InvocationFields)? {
        guard let parentID = parentOf[node.id], let parent = status.nodes[parentID] else { return nil }
        let baseName = String(node.displayName.prefix { $0 != "(" })
        switch parent.type {
        case .stepGroup:
            guard let stepsNode = parent.boundaryID.flatMap({ status.nodes[$0] }),
                let groups = template(for: stepsNode)?.steps,
                let index = stepsNode.children?.firstIndex(of: parentID), index < groups.count
            else { return nil }
            return groups[index].first { $0.name == baseName }
        case .dag:
            return dagTask(baseName, dagNode: parent)
        case .taskGroup:
            guard let dagNode = parent.boundaryID.flatMap({ status.nodes[$0] }) else { return nil }
            return dagTask(parent.displayName, dagNode: dagNode)
        default:
            return nil
        }
    }

    /// The exit hook of a step/task (`hooks.exit`, or the older `onExit`).
    func exitHook(of node: NodeStatus) -> LifecycleHook? {
        guard let invocation = invocation(of: node) else { return nil }
        if let hook = invocation.hooks?["exit"] { return hook }
        if let onExit = invocation.onExit, !onExit.isEmpty {
            var hook = LifecycleHook()
            hook.template = onExit
            return hook
        }
        return nil
    }

    /// Completed, and its exit hook (if it has one) completed too: only then may its group or DAG go on.
    func isSettled(_ node: NodeStatus) -> Bool {
        guard node.isFulfilled else { return false }
        guard node.phase != .skipped && node.phase != .omitted, exitHook(of: node) != nil else { return true }
        return status.nodes[nodeID("\(node.name).onExit")]?.phase.isCompleted == true
    }

    /// Starts a hook's template as node `nodeName` under `owner` (nil owner: a workflow-level hook).
    mutating func startHook(_ hook: LifecycleHook, nodeName: String, displayName: String, owner: NodeStatus?) {
        var scope = Scope()
        if let owner, let scopeNode = owner.boundaryID.flatMap({ status.nodes[$0] }) {
            scope = Scope(node: scopeNode)
            scope.siblingsOf = scopeNode.id
        }
        let templateScope = owner?.templateScope
        guard
            let template = resolveTemplate(
                name: hook.template, ref: hook.templateRef, inline: nil, scope: templateScope)
        else {
            let node = createNode(
                name: nodeName, displayName: displayName, type: .pod, templateName: hook.template,
                boundaryID: owner?.boundaryID, parentID: owner?.id, phase: .pending)
            complete(node.id, phase: .error, message: "hook template '\(hook.template ?? "")' not found")
            return
        }
        var arguments: [String: String] = [:]
        for parameter in hook.arguments?.parameters ?? [] {
            arguments[parameter.name] =
                (try? substitute(parameter.value?.value ?? "", in: scope)) ?? parameter.value?.value ?? ""
        }
        let artifacts = (try? artifactArguments(hook.arguments?.artifacts, scope: scope)) ?? [:]
        invoke(
            template: template, templateRef: hook.templateRef,
            at: Placement(
                nodeName: nodeName, displayName: displayName, boundaryID: owner?.boundaryID, parentID: owner?.id,
                templateScope: Self.childScope(ref: hook.templateRef, current: templateScope)),
            arguments: arguments, artifacts: artifacts, scope: scope)
    }

    /// Runs a step's exit hook once it completed. Returns true when the step must wait for it.
    mutating func holdForExitHook(_ node: NodeStatus) -> Bool {
        guard node.phase != .skipped && node.phase != .omitted, let hook = exitHook(of: node) else { return false }
        let hookName = "\(node.name).onExit"
        guard let hookNode = status.nodes[nodeID(hookName)] else {
            startHook(hook, nodeName: hookName, displayName: "\(node.displayName).onExit", owner: node)
            return true  // its completion (now or later) releases the step
        }
        return !hookNode.phase.isCompleted
    }

    /// Lifecycle hooks of a step/task whose `expression` holds now and that have not run yet.
    mutating func fireStepHooks(_ node: NodeStatus) {
        guard let hooks = invocation(of: node)?.hooks, hooks.keys.contains(where: { $0 != "exit" }) else { return }
        var scope = Scope()
        if let scopeNode = node.boundaryID.flatMap({ status.nodes[$0] }) {
            scope = Scope(node: scopeNode)
            scope.siblingsOf = scopeNode.id
        }
        for (hookName, hook) in hooks.sorted(by: { $0.key < $1.key }) where hookName != "exit" {
            let nodeName = "\(node.name).hooks.\(hookName)"
            guard status.nodes[nodeID(nodeName)] == nil, let expression = hook.expression else { continue }
            let text = (try? substitute(expression, in: scope)) ?? expression
            guard (try? Expr.evaluateBool(text, env: exprEnvironment(scope), now: now)) == true else { continue }
            startHook(hook, nodeName: nodeName, displayName: "\(node.displayName).hooks.\(hookName)", owner: node)
        }
    }

    /// Workflow-level lifecycle hooks (`spec.hooks`, other than `exit`) whose expression holds now.
    mutating func fireWorkflowHooks() {
        guard let hooks = workflow.spec.hooks, hooks.count > (hooks["exit"] == nil ? 0 : 1), status.nodes[name] != nil
        else { return }
        for (hookName, hook) in hooks.sorted(by: { $0.key < $1.key }) where hookName != "exit" {
            let nodeName = "\(name).hooks.\(hookName)"
            guard status.nodes[nodeID(nodeName)] == nil, let expression = hook.expression else { continue }
            let scope = Scope()
            let text = (try? substitute(expression, in: scope)) ?? expression
            guard (try? Expr.evaluateBool(text, env: exprEnvironment(scope), now: now)) == true else { continue }
            startHook(hook, nodeName: nodeName, displayName: nodeName, owner: nil)
        }
    }
}
