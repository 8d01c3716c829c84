import Foundation
import SwirlSpec

extension WorkflowEngine {
    /// Walks the running part of the tree once and starts whatever should exist but does not: used when a
    /// controller adopts a workflow (normally a no-op) and after `swirl retry` removed failed nodes. O(nodes), once.
    mutating func reconcileAll() {
        guard status.phase == .running, shutdown == nil else { return }
        guard status.nodes[name] != nil else {
            status.nodes = [:]
            startWorkflow()
            return
        }
        reconcile(name, depth: 0)
        if let root = status.nodes[name], root.phase.isCompleted {
            let exitID = nodeID("\(name).onExit")
            if let exitNode = status.nodes[exitID] {
                if !exitNode.phase.isCompleted { reconcile(exitID, depth: 0) } else { finishFromRoot() }
            } else {
                rootCompleted()
            }
        }
    }

    mutating func reconcile(_ id: String, depth: Int) {
        guard depth < 1000, let node = status.nodes[id], !node.phase.isCompleted else { return }
        if node.type == .steps {
            reconcileSteps(id, depth: depth)
            return
        }
        for child in node.children ?? [] { reconcile(child, depth: depth + 1) }
        guard let node = detached(id), !node.phase.isCompleted else { return }
        switch node.type {
        case .dag:
            dags[id] = buildDAGRuntime(node)
            guard let runtime = dags[id] else { return }
            for task in runtime.order where runtime.remaining[task] == 0 && !runtime.created.contains(task) {
                startTask(task, dagID: id)
            }
            checkDAGCompletion(id)
        case .taskGroup:
            guard let dagNode = node.boundaryID.flatMap({ status.nodes[$0] }),
                let task = dagTask(node.displayName, dagNode: dagNode)
            else { return }
            if let group = detached(id), let dag = detached(dagNode.id) {
                try? populateTaskGroup(group, task: task, dagNode: dag)
            }
        case .retry:
            guard let lastID = status.nodes[id]?.children?.last, let last = status.nodes[lastID] else {
                startRetryAttempt(retryID: id)
                return
            }
            if last.phase.isCompleted && timers[id] == nil { retryChildCompleted(retryID: id, childID: lastID) }
        case .stepGroup:
            break  // handled by its Steps node
        default:
            break
        }
    }

    /// A Steps node runs its groups in order, so only its first unfinished group is taken up again: groups after
    /// it wait, even when `retry` or `resubmit` reopened them (a step that failed with `continueOn`, or a skipped one,
    /// in an earlier group), and `startStepGroup` finishes or repopulates each of them when its turn comes.
    mutating func reconcileSteps(_ id: String, depth: Int) {
        guard let node = detached(id), template(for: node)?.steps != nil else { return }
        let children = status.nodes[id]?.children ?? []
        guard !children.isEmpty else {
            startStepGroup(stepsID: id, index: 0)
            return
        }
        guard let index = children.firstIndex(where: { status.nodes[$0]?.phase.isCompleted == false }) else {
            stepGroupCompleted(stepsID: id, groupID: children[children.count - 1])
            return
        }
        startStepGroup(stepsID: id, index: index, depth: depth + 1)
    }

    /// Argo's `retry`: the status with failed nodes removed and their ancestors running again, so a controller
    /// re-runs only what failed. `restartSuccessful` with a selector also re-runs matching succeeded pods.
    public static func retryStatus(
        _ status: WorkflowStatus, workflowName: String, restartSuccessful: Bool, selector: NodeSelector?
    ) -> (status: WorkflowStatus, deleted: [String]) {
        reopening(status, workflowName: workflowName) { node in
            if node.phase.isFailure || node.phase == .omitted { return true }
            return restartSuccessful && node.phase == .succeeded && (selector?.matches(node) ?? true)
        }
    }

    /// The status with the leaves `shouldDelete` picks (and the exit handler) removed, everything under them too,
    /// and their ancestors running again, so that a restored engine creates those nodes anew.
    static func reopening(
        _ status: WorkflowStatus, workflowName: String, deleting shouldDelete: (NodeStatus) -> Bool
    ) -> (status: WorkflowStatus, deleted: [String]) {
        var nodes = status.nodes
        var parentOf: [String: String] = [:]
        for node in nodes.values { for child in node.children ?? [] { parentOf[child] = node.id } }
        var delete = Set<String>()
        for node in nodes.values {
            let leaf = node.type == .pod || node.type == .suspend || node.type == .http || node.type == .skipped
            if leaf && shouldDelete(node) { delete.insert(node.id) }
        }
        let exitID = NodeNaming.nodeID(workflowName: workflowName, nodeName: "\(workflowName).onExit")
        if nodes[exitID] != nil { delete.insert(exitID) }
        // Everything under a deleted node goes too.
        var stack = Array(delete)
        while let id = stack.popLast() {
            for child in nodes[id]?.children ?? [] where delete.insert(child).inserted { stack.append(child) }
        }
        // Ancestors of deleted nodes run again.
        var reopen = Set<String>()
        for id in delete {
            var current = parentOf[id]
            while let parent = current, reopen.insert(parent).inserted { current = parentOf[parent] }
        }
        for id in delete { nodes[id] = nil }
        for id in reopen {
            guard var node = nodes[id] else { continue }
            node.children = node.children?.filter { !delete.contains($0) }
            if node.phase.isCompleted {
                node.phase = .running
                node.finishedAt = nil
                node.message = nil
                node.outputs = nil
            }
            nodes[id] = node
        }
        var result = status
        result.nodes = nodes
        result.phase = .running
        result.finishedAt = nil
        result.message = nil
        return (result, Array(delete))
    }
}
