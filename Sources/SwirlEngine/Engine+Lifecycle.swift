import Foundation
import SwirlSpec

extension WorkflowEngine {
    /// The first event: mark Running and invoke the entrypoint as the root node.
    mutating func startWorkflow() {
        guard status.nodes.isEmpty else { return }
        let locks = lockRequests(workflow.spec.synchronization)
        if !locks.isEmpty && !workflowLocksHeld {
            status.phase = .pending
            status.message = "Waiting for lock(s): \(locks.map(\.name).joined(separator: ", "))"
            pendingActions.append(.acquireLocks(holder: uid, locks: locks))
            return
        }
        status.message = nil
        status.phase = .running
        status.startedAt = now
        guard let entrypoint = workflow.spec.entrypoint, !entrypoint.isEmpty else {
            finishWorkflow(phase: .error, message: "spec.entrypoint is required")
            return
        }
        guard let template = templates[entrypoint] else {
            finishWorkflow(phase: .error, message: "entrypoint template '\(entrypoint)' not found")
            return
        }
        if let deadline = workflow.spec.activeDeadlineSeconds, deadline > 0 {
            timers[name] = now.addingTimeInterval(Double(deadline))
            pendingActions.append(.wakeAt(now.addingTimeInterval(Double(deadline))))
        }
        var arguments: [String: String] = [:]
        for (key, value) in workflowParameters { arguments[key] = value }
        var artifacts: [String: Artifact] = [:]
        for artifact in workflow.spec.arguments?.artifacts ?? [] { artifacts[artifact.name] = artifact }
        invoke(
            template: template, templateRef: nil,
            at: Placement(nodeName: name, displayName: name, boundaryID: nil, parentID: nil), arguments: arguments,
            artifacts: artifacts)
    }

    /// The exit handler's template name (`spec.onExit` or `spec.hooks.exit`).
    var exitHandler: (String?, TemplateRef?)? {
        if let onExit = workflow.spec.onExit, !onExit.isEmpty { return (onExit, nil) }
        if let hook = workflow.spec.hooks?["exit"] { return (hook.template, hook.templateRef) }
        return nil
    }

    /// The entrypoint finished: run the exit handler, or finish.
    mutating func rootCompleted() {
        timers[name] = nil
        guard requestedShutdown != .terminate, let (templateName, ref) = exitHandler else {
            finishFromRoot()
            return
        }
        guard let template = resolveTemplate(name: templateName, ref: ref, inline: nil) else {
            finishWorkflow(phase: .error, message: "onExit template '\(templateName ?? "")' not found")
            return
        }
        var arguments: [String: String] = [:]
        let scope = Scope()
        for parameter in workflow.spec.hooks?["exit"]?.arguments?.parameters ?? [] {
            arguments[parameter.name] = (try? substitute(parameter.value?.value ?? "", in: scope)) ?? ""
        }
        let exitName = "\(name).onExit"
        invoke(
            template: template, templateRef: ref,
            at: Placement(
                nodeName: exitName, displayName: exitName, boundaryID: nil, parentID: nil,
                templateScope: Self.childScope(ref: ref, current: nil)),
            arguments: arguments)
    }

    mutating func exitHandlerCompleted() {
        finishFromRoot()
    }

    /// The workflow's phase from the root node and the exit handler (a failed handler fails a good run).
    mutating func finishFromRoot() {
        guard !status.phase.isCompleted else { return }
        guard let root = status.nodes[name] else { return }
        if let exitNode = status.nodes[nodeID("\(name).onExit")], !exitNode.phase.isCompleted { return }
        var phase = Self.workflowPhase(forRoot: root.phase)
        var message = phase == .succeeded ? nil : root.message
        if requestedShutdown != nil {
            phase = phase == .error ? .error : .failed
            message = deadlineExceeded ? "Step exceeded its deadline" : shutdownMessage
        }
        if phase == .succeeded, let exitNode = status.nodes[nodeID("\(name).onExit")], exitNode.phase.isFailure {
            phase = Self.workflowPhase(forRoot: exitNode.phase)
            message = exitNode.message
        }
        finishWorkflow(phase: phase, message: message)
    }

    mutating func finishWorkflow(phase: WorkflowPhase, message: String?) {
        stopDaemons(inScope: nil)
        let locks = lockRequests(workflow.spec.synchronization)
        if !locks.isEmpty { pendingActions.append(.releaseLocks(holder: uid, locks: locks)) }
        status.phase = phase
        status.message = message
        status.finishedAt = now
        timers = [:]
        podQueue.removeAll()
        pendingActions.append(.completed(phase))
    }

    /// `stop` / `terminate`, and the workflow deadline: kill running pods, start nothing new.
    mutating func beginShutdown(terminate: Bool, message: String? = nil) {
        guard !status.phase.isCompleted, requestedShutdown == nil else { return }
        workflow.spec.shutdown = terminate ? "Terminate" : "Stop"
        manifestChanged = true
        for node in status.nodes.values where (node.type == .pod || node.type == .http) && !node.phase.isCompleted {
            if node.phase == .running, let podName = node.podName {
                pendingActions.append(.killPod(nodeID: node.id, podName: podName))
            }
        }
        for id in podQueue { complete(id, phase: .failed, message: message ?? shutdownMessage) }
        podQueue.removeAll()
        for (id, _) in timers where id != name {
            timers[id] = nil
            complete(id, phase: .failed, message: message ?? shutdownMessage)
        }
        if status.nodes[name] == nil { finishWorkflow(phase: .failed, message: message ?? shutdownMessage) }
    }
}
