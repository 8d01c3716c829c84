import Foundation
import SwirlSpec

/// A lock a workflow or template waits for: a mutex (capacity 1) or a semaphore (capacity from configuration).
public struct LockRequest: Codable, Sendable, Hashable {
    /// `mutex:NAMESPACE/NAME` or `semaphore:NAMESPACE/CONFIGMAP/KEY`.
    public var name: String
    public var isSemaphore: Bool

    public init(name: String, isSemaphore: Bool) {
        self.name = name
        self.isSemaphore = isSemaphore
    }
}

/// `synchronization` (workflow and template level): the engine asks the controller for locks with actions and
/// waits for a `locksGranted` event; it releases them when the workflow or node completes. Locks are shared by
/// every workflow of the store, so the controller keeps them there.
extension WorkflowEngine {
    /// The locks of a `synchronization` block (v4 plural forms and the older singular ones).
    func lockRequests(_ sync: Synchronization?) -> [LockRequest] {
        guard let sync else { return [] }
        let namespace = workflow.metadata.namespace ?? "default"
        var requests: [LockRequest] = []
        for mutex in (sync.mutexes ?? []) + (sync.mutex.map { [$0] } ?? []) {
            guard case .string(let name)? = mutex["name"] else { continue }
            var ns = namespace
            if case .string(let given)? = mutex["namespace"] { ns = given }
            let text = (try? substitute(name, in: Scope())) ?? name
            requests.append(LockRequest(name: "mutex:\(ns)/\(text)", isSemaphore: false))
        }
        for semaphore in (sync.semaphores ?? []) + (sync.semaphore.map { [$0] } ?? []) {
            var ns = namespace
            if case .string(let given)? = semaphore["namespace"] { ns = given }
            if case .string(let cm)? = semaphore["configMapKeyRef"]?["name"],
                case .string(let key)? = semaphore["configMapKeyRef"]?["key"]
            {
                requests.append(LockRequest(name: "semaphore:\(ns)/\(cm)/\(key)", isSemaphore: true))
            } else if case .string(let key)? = semaphore["database"]?["key"] {
                requests.append(LockRequest(name: "semaphore:\(ns)/\(key)", isSemaphore: true))
            }
        }
        return requests
    }

    /// The holder name of a node's locks (the workflow's own locks are held by its uid).
    func lockHolder(_ nodeID: String) -> String { "\(uid)/\(nodeID)" }

    /// Parks a new node whose template needs locks. Returns true when it waits.
    mutating func awaitLocks(_ template: Template, nodeID: String) -> Bool {
        let locks = lockRequests(template.synchronization)
        guard !locks.isEmpty, var node = status.nodes[nodeID] else { return false }
        node.message = "Waiting for lock(s): \(locks.map(\.name).joined(separator: ", "))"
        node.synchronizationStatus = SynchronizationStatus(waiting: locks.map(\.name).joined(separator: ","))
        put(node)
        pendingActions.append(.acquireLocks(holder: lockHolder(nodeID), locks: locks))
        return true
    }

    /// The controller granted a holder its locks: the workflow starts, or the node runs.
    mutating func locksGranted(holder: String) {
        if holder == uid {
            guard status.nodes.isEmpty, status.phase == .pending else { return }
            workflowLocksHeld = true
            startWorkflow()
            return
        }
        let nodeID = String(holder.dropFirst(uid.count + 1))
        guard var node = status.nodes[nodeID], node.synchronizationStatus?.waiting != nil, !node.phase.isCompleted
        else { return }
        node.synchronizationStatus = SynchronizationStatus(waiting: nil, holding: node.synchronizationStatus?.waiting)
        node.message = nil
        put(node)
        guard let template = template(for: node) else { return }
        if template.memoize != nil, awaitMemo(template, nodeID: nodeID) { return }
        runBody(template: template, nodeID: nodeID)
    }

    /// Releases the locks a completed node held.
    mutating func releaseLocks(of node: NodeStatus) {
        guard node.synchronizationStatus != nil, let template = template(for: node) else { return }
        let locks = lockRequests(template.synchronization)
        if !locks.isEmpty { pendingActions.append(.releaseLocks(holder: lockHolder(node.id), locks: locks)) }
    }
}

/// Argo's `synchronizationStatus` of a node: the lock it waits for or holds.
public struct SynchronizationStatus: Codable, Sendable, Hashable {
    public var waiting: String?
    public var holding: String?

    public init(waiting: String? = nil, holding: String? = nil) {
        self.waiting = waiting
        self.holding = holding
    }
}
