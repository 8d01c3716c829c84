import DequeModule
import Foundation
import SwirlExpr
import SwirlSpec

/// The pure state machine of one workflow: events in, actions out, no I/O.
///
/// The persistent truth is `status` (Argo's nodes). Everything else here is a cache derived from it, rebuilt by
/// `init(restoring:)`, so that a controller restart replays nothing and each event only touches the nodes it concerns.
public struct WorkflowEngine: Sendable {
    /// The manifest; `spec.suspend` changes with `suspend`/`resume` (see `manifestChanged`).
    public internal(set) var workflow: Workflow
    /// Set when `workflow` changed and must be saved with the next batch.
    public internal(set) var manifestChanged = false
    public let name: String
    public let uid: String
    public internal(set) var status: WorkflowStatus
    let library: TemplateLibrary
    /// Configuration from the controller (`TRANSIENT_ERROR_PATTERN` …).
    public let options: EngineOptions
    let templates: TemplateIndex
    /// Node IDs changed since `takeChangedNodeIDs()` was last called.
    var changed: Set<String> = []
    /// Counts of work done, for the scaling tests (operations, not time).
    public internal(set) var operationCount = 0

    // Derived caches.
    var parentOf: [String: String] = [:]
    var dags: [String: DAGRuntime] = [:]
    var podQueue = Deque<String>()
    /// Running pods per steps/dag node, and pods waiting for that node's template `parallelism`.
    var activeByBoundary: [String: Int] = [:]
    var blockedByBoundary: [String: Deque<String>] = [:]
    /// Pod nodes created and completed, for `status.progress` ("done/total").
    var podsTotal = 0
    var podsDone = 0
    var activePods = 0
    var timers: [String: Date] = [:]
    var now = Date(timeIntervalSince1970: 0)
    var pendingActions: [EngineAction] = []
    /// A requested shutdown stops new work, except that after a Stop the exit handler still runs.
    var shutdown: ShutdownMode? {
        guard let mode = requestedShutdown else { return nil }
        if mode == .stop, status.nodes[name]?.phase.isCompleted == true { return nil }
        return mode
    }

    /// `spec.shutdown` (`Stop` / `Terminate`), set by `swirl stop` / `terminate` and by the workflow's deadline.
    var requestedShutdown: ShutdownMode? {
        switch workflow.spec.shutdown {
        case "Stop": return .stop
        case "Terminate": return .terminate
        default: return nil
        }
    }
    /// Scope nodes whose children are being created: their completion check waits until all exist.
    var starting: Set<String> = []
    /// Children known to be settled, per StepGroup/TaskGroup still running.
    var settledChildren: [String: Set<String>] = [:]
    /// The workflow-level locks were granted (the workflow started).
    var workflowLocksHeld = false
    /// Memoized nodes waiting for the cache's answer.
    var pendingMemo: Set<String> = []
    /// Daemon pods that are ready and serving (`daemoned: true`), to stop when their scope ends.
    var daemonNodes: Set<String> = []

    enum ShutdownMode: Sendable { case stop, terminate }
    /// The workflow's activeDeadlineSeconds passed (changes the final message).
    var deadlineExceeded = false

    /// A new engine for a submitted workflow (`metadata.name` set; `uid` assigned by the caller).
    public init(
        workflow: Workflow, uid: String, library: TemplateLibrary = TemplateLibrary(),
        options: EngineOptions = EngineOptions()
    ) {
        self.workflow = workflow
        self.name = workflow.metadata.name ?? "workflow"
        self.uid = uid
        self.library = library
        self.options = options
        self.templates = TemplateIndex(spec: workflow.spec)
        self.status = WorkflowStatus(phase: .pending)
    }

    /// An engine that goes on from a stored status (after a controller restart).
    public init(
        workflow: Workflow, uid: String, status: WorkflowStatus, library: TemplateLibrary = TemplateLibrary(),
        options: EngineOptions = EngineOptions()
    ) {
        self.init(workflow: workflow, uid: uid, library: library, options: options)
        self.status = status
        rebuildCaches()
    }

    /// The node IDs changed since the last call, for the store to write just those rows.
    public mutating func takeChangedNodeIDs() -> Set<String> {
        defer { changed = [] }
        return changed
    }

    /// The manifest if it changed since the last call (it is saved with the batch).
    public mutating func takeChangedManifest() -> Workflow? {
        defer { manifestChanged = false }
        return manifestChanged ? workflow : nil
    }

    /// Pod nodes that were dispatched and have not finished: the controller checks each with its executor on restart.
    public var runningPodNodeIDs: [String] {
        status.nodes.values.filter { ($0.type == .pod || $0.type == .http) && $0.phase == .running }.map(\.id)
    }

    /// The next time the engine wants `.wake`, if any.
    public var nextWake: Date? { timers.values.min() }

    /// Feeds one event; returns the actions to perform once the new state is committed.
    public mutating func handle(_ event: EngineEvent, now: Date) -> [EngineAction] {
        self.now = now
        pendingActions = []
        operationCount += 1
        switch event {
        case .start:
            startWorkflow()
        case .podStarted(let nodeID, let at):
            if var node = status.nodes[nodeID], node.phase == .pending || node.phase == .running {
                node.phase = .running
                if node.startedAt == nil { node.startedAt = at }
                put(node)
            }
        case .podFinished(let nodeID, let result):
            podFinished(nodeID: nodeID, result: result)
        case .podReady(let nodeID):
            podReady(nodeID: nodeID)
        case .wake:
            fireDueTimers()
        case .shutdown(let terminate):
            beginShutdown(terminate: terminate)
        case .suspend:
            setSuspended(true)
        case .resume(let selector):
            resume(selector: selector)
        case .setNode(let selector, let phase, let message, let outputs):
            setNode(selector: selector, phase: phase, message: message, outputParameters: outputs)
        case .memoResult(let nodeID, let outputs):
            memoAnswered(nodeID: nodeID, outputs: outputs)
        case .locksGranted(let holder):
            locksGranted(holder: holder)
        }
        fireWorkflowHooks()
        dispatchQueuedPods()
        status.progress = "\(podsDone)/\(podsTotal)"
        let actions = pendingActions
        pendingActions = []
        return actions
    }

    /// A new engine's first event; also used by tests.
    public var isStarted: Bool { status.phase != .pending || !status.nodes.isEmpty }

    // MARK: - Node bookkeeping

    func node(_ id: String) -> NodeStatus? { status.nodes[id] }

    /// A copy of a node without its children list, to keep while adding children to it: a full copy would share
    /// the list's buffer, and every append would then copy the whole list (O(n²) for a wide DAG or loop).
    func detached(_ id: String) -> NodeStatus? {
        guard var node = status.nodes[id] else { return nil }
        node.children = nil
        return node
    }

    mutating func put(_ node: NodeStatus) {
        status.nodes[node.id] = node
        changed.insert(node.id)
        operationCount += 1
    }

    func nodeID(_ nodeName: String) -> String {
        NodeNaming.nodeID(workflowName: name, nodeName: nodeName)
    }

    /// Creates a node (or returns the existing one of that name: node names are deterministic).
    mutating func createNode(
        name nodeName: String, displayName: String, type: NodeType, templateName: String?, boundaryID: String?,
        parentID: String?, phase: NodePhase = .running, message: String? = nil
    ) -> NodeStatus {
        let id = nodeID(nodeName)
        if let existing = status.nodes[id] { return existing }
        var node = NodeStatus(id: id, name: nodeName, displayName: displayName, type: type, phase: phase)
        node.templateName = templateName
        node.boundaryID = boundaryID
        node.message = message
        node.startedAt = now
        if phase.isCompleted { node.finishedAt = now }
        if type == .pod { podsTotal += 1 }
        put(node)
        if let parentID { addChild(id, to: parentID) }
        return node
    }

    /// Links a new child; O(1): the children list is appended in place, never copied.
    mutating func addChild(_ childID: String, to parentID: String) {
        guard parentOf[childID] == nil, status.nodes[parentID] != nil else { return }
        parentOf[childID] = parentID
        if status.nodes[parentID]?.children == nil { status.nodes[parentID]?.children = [] }
        status.nodes[parentID]?.children?.append(childID)
        changed.insert(parentID)
        operationCount += 1
    }

    /// Marks a node completed and lets its owner react.
    mutating func complete(_ id: String, phase: NodePhase, message: String? = nil, outputs: Outputs? = nil) {
        guard var node = status.nodes[id], !node.phase.isCompleted else { return }
        let previousPhase = node.phase
        node.phase = phase
        if let message { node.message = message }
        if let outputs, !outputs.isEmpty { node.outputs = outputs }
        node.finishedAt = now
        put(node)
        if node.type == .pod || node.type == .http {
            if previousPhase == .running { releaseParallelismSlot(of: node) }
            podsDone += 1
        }
        timers[id] = nil
        releaseLocks(of: node)
        if phase == .succeeded, let memo = node.memoizationStatus, !memo.hit, let outputs = status.nodes[id]?.outputs {
            pendingActions.append(.memoSave(cache: memo.cacheName, key: memo.key, outputs: outputs))
        }
        childCompleted(id)
    }

    /// A running pod stopped counting against `parallelism` (it finished, or a daemon became ready).
    mutating func releaseParallelismSlot(of node: NodeStatus) {
        activePods = max(0, activePods - 1)
        if let boundary = node.boundaryID { releaseBoundarySlot(boundary) }
    }

    /// Dispatches a completed node to whatever waits for it.
    mutating func childCompleted(_ childID: String) {
        guard let parentID = parentOf[childID], let parent = status.nodes[parentID] else {
            if childID == name { rootCompleted() }
            if childID == nodeID("\(name).onExit") { exitHandlerCompleted() }
            return
        }
        if parent.phase.isCompleted {
            // A step's exit hook finished: the step it belongs to may now release its group or DAG.
            if childID == nodeID("\(parent.name).onExit") { childCompleted(parentID) }
            return
        }
        if let child = status.nodes[childID] {
            fireStepHooks(child)
            if holdForExitHook(child) { return }
        }
        switch parent.type {
        case .retry: retryChildCompleted(retryID: parentID, childID: childID)
        case .stepGroup: stepGroupChildCompleted(groupID: parentID, childID: childID)
        case .dag: dagTaskCompleted(dagID: parentID, taskNodeID: childID)
        case .taskGroup: taskGroupChildCompleted(groupID: parentID, childID: childID)
        case .steps: stepGroupCompleted(stepsID: parentID, groupID: childID)
        default: break
        }
    }

}
