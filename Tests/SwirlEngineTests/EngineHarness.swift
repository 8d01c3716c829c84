import Foundation
import SwirlEngine
import SwirlSpec
import Testing

/// How a fake pod ends: chosen per pod by the test's responder.
struct PodAnswer {
    var exitCode: Int32? = 0
    var error: String?
    var stdout: String?
    var outputParameters: [String: String] = [:]
    var missingOutputs: [String: String] = [:]
    /// Seconds the pod "runs" on the fake clock.
    var duration: Double = 1
    /// Never finishes on its own (only a kill ends it).
    var hang = false

    static let ok = PodAnswer()
    static func exit(_ code: Int32, stdout: String? = nil) -> PodAnswer { PodAnswer(exitCode: code, stdout: stdout) }
    static func out(_ stdout: String) -> PodAnswer { PodAnswer(stdout: stdout) }
    static func params(_ values: [String: String]) -> PodAnswer { PodAnswer(outputParameters: values) }
    static func infraError(_ message: String) -> PodAnswer { PodAnswer(exitCode: nil, error: message) }
    static let hanging = PodAnswer(hang: true)

    var result: PodResult {
        PodResult(
            exitCode: exitCode, error: error, outputParameters: outputParameters, missingOutputs: missingOutputs,
            stdout: stdout)
    }
}

/// What a responder sees of a pod: its request and the node it runs for.
struct FakePod {
    var request: PodRequest
    var node: NodeStatus
    /// The template's name (`ARGO_TEMPLATE`).
    var template: String { request.env["ARGO_TEMPLATE"] ?? node.templateName ?? "" }
    var displayName: String { node.displayName }
    /// The display name without a loop or retry suffix (`hello(0:a)` → `hello`).
    var baseName: String { String(node.displayName.prefix { $0 != "(" }) }
}

/// Drives a `WorkflowEngine` with no processes: a fake clock, fake pods answered per pod, timers honoured.
struct EngineHarness {
    let workflow: Workflow
    let uid: String
    var engine: WorkflowEngine
    var clock: Date
    var responder: (FakePod) -> PodAnswer

    /// Every `.startPod` in order, across engine restarts.
    var started: [PodRequest] = []
    var startCounts: [String: Int] = [:]
    /// Pods started and not finished: pod name → (request, due time, answer, sequence number).
    var running: [String: (request: PodRequest, due: Date?, answer: PodAnswer, seq: Int)] = [:]
    /// Due pods ordered by (due, seq); entries whose seq no longer matches `running` are stale.
    var dueQueue = MinHeap()
    var seq = 0
    var maxRunning = 0
    /// Requested wake-ups, and (time requested, wake time) for backoff checks.
    var wakes: Set<Date> = []
    var wakeRequests: [(at: Date, wake: Date)] = []
    var kills: [String] = []
    var completions: [WorkflowPhase] = []
    var events = 0

    static let epoch = Date(timeIntervalSince1970: 1_700_000_000)

    init(
        _ yaml: String, name: String = "wf", uid: String = "uid-1",
        library: TemplateLibrary = TemplateLibrary(), options: EngineOptions = EngineOptions(),
        responder: @escaping (FakePod) -> PodAnswer = { _ in .ok }
    ) throws {
        let workflow = try Self.workflow(yaml, name: name)
        self.workflow = workflow
        self.uid = uid
        self.engine = WorkflowEngine(workflow: workflow, uid: uid, library: library, options: options)
        self.clock = Self.epoch
        self.responder = responder
    }

    /// Decodes a Workflow from YAML and names it.
    static func workflow(_ yaml: String, name: String = "wf") throws -> Workflow {
        let docs = try ManifestLoader.load(text: yaml, file: "test.yaml")
        guard let first = docs.first, case .workflow(var workflow) = first.manifest else {
            throw EngineError("not a workflow")
        }
        workflow.metadata.name = name
        return workflow
    }

    var phase: WorkflowPhase { engine.status.phase }
    var isCompleted: Bool { !completions.isEmpty }

    /// The node with that name (not ID).
    func node(named nodeName: String) -> NodeStatus? {
        engine.status.nodes[NodeNaming.nodeID(workflowName: engine.name, nodeName: nodeName)]
    }

    func node(_ nodeName: String) -> NodeStatus? { node(named: nodeName) }

    /// Nodes by name → phase, to compare runs.
    var phasesByName: [String: NodePhase] {
        Dictionary(uniqueKeysWithValues: engine.status.nodes.values.map { ($0.name, $0.phase) })
    }

    /// Started pods by display name, in start order.
    var startedDisplayNames: [String] {
        started.map { request in engine.status.nodes[request.nodeID]?.displayName ?? request.podName }
    }

    func request(displayName: String) -> PodRequest? {
        started.first { engine.status.nodes[$0.nodeID]?.displayName == displayName }
    }

    /// Wall time spent inside `handle(.podFinished)`, for the per-event cost check.
    var podFinishedTime: Duration = .zero
    var podFinishedEvents = 0
    /// Wall time of the `.start` event.
    var startTime: Duration = .zero

    mutating func send(_ event: EngineEvent) {
        events += 1
        let start = ContinuousClock.now
        let actions = engine.handle(event, now: clock)
        let elapsed = ContinuousClock.now - start
        switch event {
        case .podFinished:
            podFinishedTime += elapsed
            podFinishedEvents += 1
        case .start:
            startTime = elapsed
        default: break
        }
        if mirror != nil {
            for id in engine.takeChangedNodeIDs() { mirror?[id] = engine.status.nodes[id] }
            if mirror != engine.status.nodes {
                let stale = engine.status.nodes.filter { mirror?[$0.key] != $0.value }.map(\.value.name).sorted()
                Issue.record("after event \(events) (\(event)), takeChangedNodeIDs missed: \(stale)")
            }
        }
        apply(actions)
    }

    /// When set, rebuilt from `takeChangedNodeIDs()` after every event and checked against the status (what the
    /// store does with each batch).
    var mirror: [String: NodeStatus]?

    mutating func apply(_ actions: [EngineAction]) {
        for action in actions {
            switch action {
            case .startPod(let request):
                started.append(request)
                startCounts[request.podName, default: 0] += 1
                guard let node = engine.status.nodes[request.nodeID] else {
                    Issue.record("startPod for unknown node \(request.nodeID)")
                    continue
                }
                let answer = responder(FakePod(request: request, node: node))
                seq += 1
                let due = answer.hang ? nil : clock.addingTimeInterval(answer.duration)
                running[request.podName] = (request, due, answer, seq)
                if let due { dueQueue.push(.init(due: due, seq: seq, podName: request.podName)) }
                maxRunning = max(maxRunning, running.count)
            case .killPod(_, let podName):
                kills.append(podName)
                if var entry = running[podName] {
                    seq += 1
                    entry.answer = PodAnswer(exitCode: nil, error: "terminated")
                    entry.due = clock
                    entry.seq = seq
                    running[podName] = entry
                    dueQueue.push(.init(due: clock, seq: seq, podName: podName))
                }
            case .wakeAt(let date):
                wakes.insert(date)
                wakeRequests.append((clock, date))
            case .completed(let phase):
                completions.append(phase)
            case .memoLookup(let nodeID, let cache, let key, _):
                followUps.append(.memoResult(nodeID: nodeID, outputs: memoCache["\(cache)/\(key)"]))
            case .memoSave(let cache, let key, let outputs):
                memoCache["\(cache)/\(key)"] = outputs
            case .acquireLocks(let holder, _):
                followUps.append(.locksGranted(holder: holder))
            case .releaseLocks:
                break
            }
        }
        // Answers the engine asked for (cache lookups, locks) arrive as the next events.
        while !followUps.isEmpty {
            let event = followUps.removeFirst()
            send(event)
        }
    }

    /// Events owed to the engine for actions it took (memo answers, lock grants).
    var followUps: [EngineEvent] = []
    /// The memoization cache the harness plays.
    var memoCache: [String: Outputs] = [:]

    mutating func start() { send(.start) }

    /// Advances to the next thing that happens (a pod ending or a timer) and feeds it. False when nothing is left.
    @discardableResult
    mutating func step() -> Bool {
        while let top = dueQueue.peek, running[top.podName]?.seq != top.seq { _ = dueQueue.pop() }
        let nextPod = dueQueue.peek
        let nextWake = wakes.min()
        if let wake = nextWake, nextPod == nil || wake < nextPod!.due {
            wakes.remove(wake)
            if wake > clock { clock = wake }
            send(.wake)
            return true
        }
        guard let next = dueQueue.pop(), let entry = running[next.podName] else { return false }
        if next.due > clock { clock = next.due }
        running[next.podName] = nil
        var result = entry.answer.result
        result.finishedAt = clock
        send(.podFinished(nodeID: entry.request.nodeID, result: result))
        return true
    }

    /// Runs until the workflow completes (or nothing more can happen).
    @discardableResult
    mutating func run(maxSteps: Int = 1_000_000) -> WorkflowPhase {
        if !engine.isStarted { start() }
        var steps = 0
        while !isCompleted, steps < maxSteps, step() { steps += 1 }
        return engine.status.phase
    }

    /// Runs `count` steps (after starting).
    mutating func run(steps count: Int) {
        if !engine.isStarted { start() }
        for _ in 0..<count where !isCompleted {
            if !step() { break }
        }
    }

    /// Replaces the engine with one restored from `status` (as a controller adopts a stored workflow) and applies
    /// what it owes.
    mutating func restore(status: WorkflowStatus) {
        engine = WorkflowEngine(workflow: workflow, uid: uid, status: status, options: engine.options)
        completions = []
        apply(engine.resume(now: clock))
    }

    /// Simulates a controller crash after the last commit: the status goes through JSON and a new engine takes over.
    mutating func crashAndRestore(library: TemplateLibrary = TemplateLibrary()) throws {
        let data = try WorkflowObject.jsonEncoder().encode(engine.status)
        let status = try WorkflowObject.jsonDecoder().decode(WorkflowStatus.self, from: data)
        engine = WorkflowEngine(
            workflow: workflow, uid: uid, status: status, library: library, options: engine.options)
        wakes = []
        apply(engine.resume(now: clock))
    }
}

/// Argo's FNV-1a 32, written out independently of the engine.
func fnv1a32(_ text: String) -> UInt32 {
    var hash: UInt32 = 0x811C_9DC5
    for byte in Array(text.utf8) {
        hash = (hash ^ UInt32(byte)) &* 0x0100_0193
    }
    return hash
}

/// A binary min-heap of due pods, so that the harness stays O(log n) per step on 10,000-pod workflows.
struct MinHeap {
    struct Entry: Comparable {
        var due: Date
        var seq: Int
        var podName: String
        static func < (a: Entry, b: Entry) -> Bool { (a.due, a.seq) < (b.due, b.seq) }
    }

    var items: [Entry] = []
    var peek: Entry? { items.first }

    mutating func push(_ entry: Entry) {
        items.append(entry)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
