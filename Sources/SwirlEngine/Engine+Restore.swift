import Foundation
import SwirlSpec

extension WorkflowEngine {
    /// Rebuilds every cache from the stored nodes (once, when a controller adopts the workflow).
    mutating func rebuildCaches() {
        parentOf = [:]
        for node in status.nodes.values {
            for child in node.children ?? [] { parentOf[child] = node.id }
        }
        activePods = 0
        podsTotal = 0
        podsDone = 0
        daemonNodes = []
        for node in status.nodes.values where node.type == .pod {
            podsTotal += 1
            if node.phase.isCompleted { podsDone += 1 }
            if node.daemoned == true { daemonNodes.insert(node.id) }
        }
        var queued: [NodeStatus] = []
        for node in status.nodes.values where !node.phase.isCompleted {
            switch node.type {
            case .pod, .http:
                if node.phase == .running && node.daemoned != true {  // a serving daemon holds no slot
                    activePods += 1
                    if let boundary = node.boundaryID { activeByBoundary[boundary, default: 0] += 1 }
                } else if node.podName != nil {
                    queued.append(node)  // (a pending pod without a pod name still waits for the memo cache)
                }
            case .dag:
                dags[node.id] = buildDAGRuntime(node)
            case .retry:
                if let lastID = node.children?.last, let last = status.nodes[lastID], last.phase.isCompleted {
                    timers[node.id] = (last.finishedAt ?? now).addingTimeInterval(backoffDelay(for: node))
                }
            case .suspend:
                if let template = template(for: node), let text = template.suspend?.duration?.value,
                    let seconds = GoDuration.seconds(text)
                {
                    timers[node.id] = (node.startedAt ?? now).addingTimeInterval(seconds)
                }
            default: break
            }
        }
        podQueue.append(
            contentsOf: queued.sorted {
                ($0.startedAt ?? .distantPast, $0.name) < ($1.startedAt ?? .distantPast, $1.name)
            }.map(\.id))
        if status.phase == .running, let deadline = workflow.spec.activeDeadlineSeconds, deadline > 0,
            let started = status.startedAt
        {
            timers[name] = started.addingTimeInterval(Double(deadline))
        }
    }

    /// The actions a restored engine owes: queued pods to start and timers to arm. Call once after restoring.
    public mutating func resume(now: Date) -> [EngineAction] {
        self.now = now
        pendingActions = []
        // Nodes waiting for locks: ask again (acquiring what one already holds is a no-op).
        for node in status.nodes.values where node.synchronizationStatus?.waiting != nil && !node.phase.isCompleted {
            guard let template = template(for: node) else { continue }
            pendingActions.append(
                .acquireLocks(holder: lockHolder(node.id), locks: lockRequests(template.synchronization)))
        }
        if status.phase == .running { workflowLocksHeld = true }
        reconcileAll()
        // Memoized nodes still waiting for the cache: ask again.
        for node in status.nodes.values
        where node.memoizationStatus?.hit == false && node.phase == .pending
            && node.podName == nil
        {
            guard let memo = node.memoizationStatus, let template = template(for: node) else { continue }
            pendingMemo.insert(node.id)
            let maxAge = memoization(template, node: node)?.maxAge
            pendingActions.append(
                .memoLookup(nodeID: node.id, cache: memo.cacheName, key: memo.key, maxAgeSeconds: maxAge))
        }
        fireDueTimers()
        dispatchQueuedPods()
        status.progress = "\(podsDone)/\(podsTotal)"
        let actions = pendingActions
        pendingActions = []
        return actions
    }
}
