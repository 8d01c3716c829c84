import Foundation
import SwirlEngine
import SwirlSpec

/// A workflow as stored: its manifest, identity and status (nodes included when asked for).
public struct StoredWorkflow: Sendable {
    public var uid: String
    public var name: String
    public var namespace: String
    public var workflow: Workflow
    public var createdAt: Date
    public var status: WorkflowStatus
    /// The stored manifest as compact JSON, when the store keeps it so (for printing it without Codable).
    public var manifestJSON: String?

    public init(
        uid: String, name: String, namespace: String, workflow: Workflow, createdAt: Date, status: WorkflowStatus
    ) {
        self.uid = uid
        self.name = name
        self.namespace = namespace
        self.workflow = workflow
        self.createdAt = createdAt
        self.status = status
    }

    /// Argo's JSON shape of the workflow.
    public var object: WorkflowObject {
        var manifest = workflow
        manifest.metadata.uid = uid
        manifest.metadata.name = name
        manifest.metadata.namespace = namespace
        manifest.metadata.creationTimestamp = ArgoTime.format(createdAt)
        return WorkflowObject(workflow: manifest, status: status)
    }
}

/// One reconcile batch: the workflow-level status fields, the nodes that changed, and the events that caused it.
public struct StateBatch: Sendable {
    public var uid: String
    public var status: WorkflowStatus
    public var changedNodes: [NodeStatus]
    public var events: [String]
    /// The manifest, when it changed (`spec.suspend`).
    public var manifest: Workflow?
    /// Nodes to delete (a retry resets failed nodes).
    public var deletedNodeIDs: [String]
    /// Releases this owner's lease in the same transaction (the workflow finished).
    public var releasingLeaseOf: String?
    /// The phase is the one this writer saved last, so the store may leave it (and the index on it) alone: a
    /// running workflow's commits change its progress and nodes, rarely its phase.
    public var phaseUnchanged = false

    public init(
        uid: String, status: WorkflowStatus, changedNodes: [NodeStatus], events: [String], manifest: Workflow? = nil,
        deletedNodeIDs: [String] = []
    ) {
        self.uid = uid
        self.status = status
        self.changedNodes = changedNodes
        self.events = events
        self.manifest = manifest
        self.deletedNodeIDs = deletedNodeIDs
    }
}

/// A stored WorkflowTemplate or ClusterWorkflowTemplate.
public struct StoredTemplate: Sendable {
    public var kind: String
    public var name: String
    public var workflow: Workflow
    public var createdAt: Date
}

/// A request to a running workflow that only its controller may carry out (stop, terminate, …).
public struct WorkflowCommand: Sendable, Equatable {
    public var id: Int64
    public var uid: String
    public var kind: String
    /// Arguments of the command as JSON (selector, outputs …).
    public var payload: String?
}

/// A workflow to store with `WorkflowStore.submit(_:)`.
public struct NewWorkflow: Sendable {
    public var workflow: Workflow
    public var uid: String
    public var createdAt: Date

    public init(workflow: Workflow, uid: String, createdAt: Date) {
        self.workflow = workflow
        self.uid = uid
        self.createdAt = createdAt
    }
}

/// The single source of truth for workflows. One reconcile batch is one transaction.
public protocol WorkflowStore: Sendable {
    /// Saves a new workflow (name unique). Throws `StoreError.alreadyExists` if the name is taken.
    func submit(_ workflow: Workflow, uid: String, createdAt: Date) throws
    /// Saves new workflows in one transaction: all or none (`StoreError.alreadyExists` names the taken name).
    func submit(_ workflows: [NewWorkflow]) throws
    /// A workflow by name, with all its nodes.
    func workflow(named name: String) throws -> StoredWorkflow?
    /// A workflow by name, with all its nodes; without `spec.templates` when `templates` is false (for views
    /// that only show the status: decoding a 100,000-task DAG template costs more than reading its nodes).
    func workflow(named name: String, templates: Bool) throws -> StoredWorkflow?
    /// A workflow by uid, with all its nodes.
    func workflow(uid: String) throws -> StoredWorkflow?
    /// A workflow by name without its nodes and templates (name, phase, times, spec): for commands that only
    /// report or resolve names, where loading every node would cost as much as the workflow is large.
    func workflowHeader(named name: String) throws -> StoredWorkflow?
    /// The phase and finish time of each named workflow that exists, read in one transaction without decoding
    /// manifests: what `swirl wait` of many workflows checks and prints.
    func outcomes(named names: [String]) throws -> [String: WorkflowOutcome]
    /// The workflow without its templates, with its nodes as a list instead of in `status.nodes` (which is left
    /// empty): what drawing its node table needs.
    func workflowForDisplay(named name: String) throws -> (workflow: StoredWorkflow, nodes: NodeList)?
    /// The workflow without its templates, with its node rows as stored, undecoded: what `get -o json` rewrites.
    func workflowForJSON(named name: String) throws -> (workflow: StoredWorkflow, rows: StoredNodeRows)?
    /// Every workflow, newest first, without nodes.
    func listWorkflows() throws -> [StoredWorkflow]
    /// Every workflow, newest first, without nodes; `templates: false` leaves `spec.templates` empty (a big DAG's
    /// tasks are most of its manifest, and a listing shows none of them).
    func listWorkflows(templates: Bool) throws -> [StoredWorkflow]
    /// The newest workflow's name (what `@latest` means), read without decoding any manifest.
    func latestWorkflowName() throws -> String?
    /// Commits one reconcile batch atomically.
    func save(_ batch: StateBatch) throws
    /// Several workflows' batches in one transaction (the controller's whole loop turn).
    func save(_ batches: [StateBatch]) throws
    /// Takes or renews the lease of a workflow for `owner` until `until`; false if another owner holds a live lease.
    /// `replacing` names a holder known to be dead, whose lease may be taken before it expires.
    func acquireLease(uid: String, owner: String, until: Date, now: Date, replacing deadOwner: String?) throws -> Bool
    /// `acquireLease` for many workflows in one transaction: uid → the dead owner it may replace (or nil).
    /// - Returns: the uids now leased to `owner`.
    func acquireLeases(_ uids: [String: String?], owner: String, until: Date, now: Date) throws -> Set<String>
    /// Renews every lease `owner` holds among `uids` in one transaction; returns the uids still held.
    func renewLeases(uids: [String], owner: String, until: Date, now: Date) throws -> Set<String>
    func releaseLease(uid: String, owner: String) throws
    /// Every unfinished workflow with its lease holder, oldest first.
    func unfinishedLeases() throws -> [LeaseInfo]
    /// Whether any unfinished workflow exists.
    func hasUnfinishedWorkflows() throws -> Bool
    func deleteWorkflow(uid: String) throws
    /// Commands.
    func enqueueCommand(uid: String, kind: String, payload: String?) throws
    func takeCommands(uid: String) throws -> [WorkflowCommand]
    /// Removes and returns the queued commands of every workflow in `uids`, oldest first (one query, however many
    /// workflows: the controller asks on every wake-up).
    func takeCommands(uids: Set<String>) throws -> [WorkflowCommand]
    /// Synchronization: takes every lock for `holder` if each has room and no earlier waiter (FIFO), else queues
    /// the holder; true when it now holds them all. `limits` gives each lock's capacity.
    func acquireLocks(holder: String, workflowUID: String, limits: [String: Int]) throws -> Bool
    /// Releases every lock `holder` holds or waits for.
    func releaseLocks(holder: String) throws
    /// Releases every lock of a workflow and of its nodes.
    func releaseLocks(workflowUID: String) throws
    /// Memoization caches: the outputs saved under `key` no older than `maxAge` seconds.
    func memoized(cache: String, key: String, maxAge: Double?, now: Date) throws -> Outputs?
    func memoize(cache: String, key: String, outputs: Outputs, now: Date) throws
    /// Templates.
    func putTemplate(kind: String, workflow: Workflow, now: Date) throws
    func template(kind: String, name: String) throws -> StoredTemplate?
    func listTemplates(kind: String) throws -> [StoredTemplate]
    func deleteTemplate(kind: String, name: String) throws -> Bool
}

extension WorkflowStore {
    public func listWorkflows(templates: Bool) throws -> [StoredWorkflow] {
        try listWorkflows()
    }

    public func latestWorkflowName() throws -> String? {
        try listWorkflows().first?.name
    }

    public func workflowForJSON(named name: String) throws -> (workflow: StoredWorkflow, rows: StoredNodeRows)? {
        guard let (stored, list) = try workflowForDisplay(named: name) else { return nil }
        let encoder = WorkflowObject.storageEncoder()
        var rows = StoredNodeRows()
        for (index, id) in list.ids.enumerated() {
            let json =
                try NodeJSON.encode(list.nodes[index]).map { Array($0.utf8) }
                ?? Array(encoder.encode(list.nodes[index]))
            json.withUnsafeBufferPointer { rows.append(id: id, json: $0) }
        }
        return (stored, rows)
    }

    public func workflowForDisplay(named name: String) throws -> (workflow: StoredWorkflow, nodes: NodeList)? {
        guard var stored = try workflow(named: name, templates: false) else { return nil }
        let nodes = NodeList(stored.status.nodes)
        stored.status.nodes = [:]
        return (stored, nodes)
    }
}

/// Who holds an unfinished workflow.
public struct LeaseInfo: Sendable, Equatable {
    public var uid: String
    public var name: String
    public var owner: String?
    public var expires: Date?
}

/// Store errors, worded for the CLI.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    case alreadyExists(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .alreadyExists(let name): return "workflow '\(name)' already exists"
        case .corrupt(let detail): return "store is corrupt: \(detail)"
        }
    }
}

/// A workflow's name, phase and finish time: all `swirl wait` reports of it.
public struct WorkflowOutcome: Sendable, Equatable {
    public var name: String
    public var phase: WorkflowPhase
    public var finishedAt: Date?

    public init(name: String, phase: WorkflowPhase, finishedAt: Date?) {
        self.name = name
        self.phase = phase
        self.finishedAt = finishedAt
    }
}
