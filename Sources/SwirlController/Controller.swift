import Foundation
import Logging
import SwirlEngine
import SwirlExecutor
import SwirlSpec
import SwirlStore

/// The runtime loop: owns running workflows (one lease each), feeds events to their engines, commits each batch
/// before acting on it, and hands pods to the executor. Event-driven: it sleeps until a pod finishes, a timer is
/// due, or a marker in the wake directory announces new work.
public actor Controller {
    public enum Scope: Sendable {
        /// Adopt every workflow of this home (the background controller).
        case all
        /// Only these workflows (the embedded controller of `submit --wait` / `wait`).
        case only(Set<String>)
    }

    enum Input: Sendable {
        case podDone(String, seenAt: Date? = nil)
        case wake(String)
        case poke
        case renewLeases
        /// Adopt the next part of `adoptionBacklog` (an adoption round stops after `adoptionsPerRound`).
        case adoptMore
    }

    let store: any WorkflowStore
    let sandbox: any Executor
    let noop = NoopExecutor()
    /// The executor of each owned workflow (annotation `swirl.dev/executor`: `noop`, default the sandbox).
    var executorKind: [String: String] = [:]
    let home: SwirlHome
    let layout: SandboxLayout
    let scope: Scope
    let owner = LeaseOwner.current
    let leaseDuration: TimeInterval = 15
    var logger = Logger(label: "swirl.controller")

    /// Engines live in boxes so that handling an event mutates them in place (a struct in a dictionary would be
    /// copied, nodes and all, on every event).
    final class EngineBox {
        var engine: WorkflowEngine
        /// The phase this controller last committed (nil before its first commit), so a commit that does not
        /// change it can leave the stored phase alone.
        var savedPhase: WorkflowPhase?
        init(_ engine: WorkflowEngine) { self.engine = engine }
    }

    var engines: [String: EngineBox] = [:]
    var pods: [String: (uid: String, nodeID: String)] = [:]
    var timers: [String: Task<Void, Never>] = [:]
    /// Inputs for the loop; watchers and timers post here directly (see `Mailbox`).
    nonisolated let mailbox = Mailbox<Input>()
    /// Workflows whose engine changed since the last commit, and the actions owed once it is committed.
    /// Adoptable workflows of the last listing not adopted yet (see `adoptWorkflows(fromBacklog:)`).
    var adoptionBacklog: [LeaseInfo] = []
    var dirty: [String: [String]] = [:]
    var owed: [(uid: String, action: EngineAction)] = []
    /// Pods whose results were fed to their engines since the last commit, by workflow: once that workflow's state
    /// is committed, their executor may drop what it kept to report them again (`resultsRecorded(podNames:)`).
    var collected: [String: [String]] = [:]
    /// Holders (a workflow's uid, or `uid/nodeID`) waiting for locks, with what they asked for.
    var lockWaiters: [String: (uid: String, locks: [LockRequest])] = [:]

    /// The annotation that picks a workflow's executor.
    public static let executorAnnotation = "swirl.dev/executor"

    public init(store: any WorkflowStore, executor: any Executor, home: SwirlHome, layout: SandboxLayout, scope: Scope)
    {
        self.store = store
        self.sandbox = executor
        self.home = home
        self.layout = layout
        self.scope = scope
    }

    /// Runs until `exitWhenIdle` finds nothing left to do (or forever when false).
    public func run(exitWhenIdle: Bool) async throws {
        try home.prepare()
        try FileManager.default.createDirectory(at: layout.doneDirectory, withIntermediateDirectories: true)
        // Finished pods go straight from the watcher's thread into the mailbox (no task in between to wake).
        let completions = try CompletionWatcher(directory: layout.doneDirectory) { [mailbox] name, seenAt in
            mailbox.post(.podDone(name, seenAt: seenAt))
        }
        let wakes = try CompletionWatcher(directory: home.wakeDirectory)
        let forwarders = [
            Task {
                for await marker in wakes.podNames {
                    try? FileManager.default.removeItem(at: self.home.wakeDirectory.appendingPathComponent(marker))
                    self.post(.poke)
                }
            },
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(leaseDuration / 3))
                    self.post(.renewLeases)
                }
            },
        ]
        defer {
            for task in forwarders { task.cancel() }
            for task in timers.values { task.cancel() }
            completions.stop()
            wakes.stop()
            for uid in engines.keys { try? store.releaseLease(uid: uid, owner: owner.text) }
            sandbox.finishHousekeeping()
        }
        if case .all = scope, let sandbox = sandbox as? SandboxExecutor {
            // The background controller tidies up after a killed predecessor, on another thread.
            Thread { sandbox.removeLeftoverScratch() }.start()
        }
        adoptWorkflows()
        takeCommands()
        flush()
        while true {
            if exitWhenIdle, try isIdle() { break }
            let batch = await nextBatch()
            if Task.isCancelled { break }
            // Every input available now is one reconcile batch: one transaction per workflow, then the actions.
            for input in batch {
                switch input {
                case .podDone(let podName, let seenAt): podDone(podName, seenAt: seenAt)
                case .wake(let uid): feed(uid, .wake)
                case .poke:
                    adoptWorkflows()
                    takeCommands()
                    for holder in lockWaiters.keys.sorted() { tryGrant(holder) }
                case .renewLeases: renewLeases()
                case .adoptMore: adoptWorkflows(fromBacklog: true)
                }
            }
            flush()
            if mailbox.isEmpty { sandbox.idle() }
        }
    }

    /// Queues an input for the loop (from any thread).
    nonisolated func post(_ input: Input) {
        mailbox.post(input)
    }

    /// Waits for inputs and takes all of them.
    func nextBatch() async -> [Input] {
        while mailbox.isEmpty {
            if Task.isCancelled { return [] }
            await withTaskCancellationHandler {
                await mailbox.waitForInput()
            } onCancel: {
                mailbox.post(.poke)
            }
        }
        return mailbox.takeAll()
    }

    /// Whether there is nothing to do: no engine running and (for the background controller) nothing to adopt.
    func isIdle() throws -> Bool {
        guard engines.isEmpty else { return false }
        switch scope {
        case .all: return try !store.hasUnfinishedWorkflows()
        case .only(let names):
            let leases = try store.unfinishedLeases()
            return !leases.contains { names.contains($0.name) }
        }
    }

    // MARK: - Adoption

    /// How many workflows one adoption round takes. Adopting a thousand submitted workflows in one round kept the
    /// controller from handling any pod that finished until the thousandth pod was launched: a second of idle CPU
    /// before the first launches and another at the end, when all the completions came at once.
    static let adoptionsPerRound = 16

    /// Takes adoptable workflows in scope (up to `adoptionsPerRound`, then again on the next turn of the loop): new
    /// ones start, unfinished ones go on from their stored state.
    ///
    /// - Parameter fromBacklog: continue with the workflows the last listing left over, without listing again (a
    ///   thousand workflows adopted 16 at a time must not read the whole list 60 times).
    func adoptWorkflows(fromBacklog: Bool = false) {
        let now = Date()
        let leases: [LeaseInfo]
        if fromBacklog {
            leases = adoptionBacklog
        } else {
            guard let listed = try? store.unfinishedLeases() else { return }
            leases = listed
        }
        adoptionBacklog = []
        // uid → the dead owner whose lease may be taken over (nil: free or expired).
        var wanted: [String: String?] = [:]
        var order: [LeaseInfo] = []
        for (index, lease) in leases.enumerated() where engines[lease.uid] == nil {
            if case .only(let names) = scope, !names.contains(lease.name) { continue }
            var dead: String?
            if let holder = lease.owner, holder != owner.text {
                let expired = (lease.expires ?? .distantPast) < now
                if let parsed = LeaseOwner(text: holder), parsed.isDeadLocalProcess {
                    dead = holder
                } else if !expired {
                    continue
                }
            }
            if order.count == Self.adoptionsPerRound {
                // More to adopt: come back after the inputs that arrive meanwhile (pods finishing) are handled.
                adoptionBacklog = Array(leases[index...])
                post(.adoptMore)
                break
            }
            wanted[lease.uid] = .some(dead)
            order.append(lease)
        }
        guard !wanted.isEmpty else { return }
        // One transaction for the whole round: a thousand new workflows must not cost a thousand commits.
        let acquired: Set<String>
        do {
            acquired = try store.acquireLeases(
                wanted, owner: owner.text, until: now.addingTimeInterval(leaseDuration), now: now)
        } catch {
            logger.error("cannot take leases: \(error)")
            return
        }
        // Loaded once per round, only if something is adopted.
        var library: TemplateLibrary?
        var options: EngineOptions?
        for lease in order where acquired.contains(lease.uid) {
            do {
                if library == nil { library = templateLibrary() }
                if options == nil { options = engineOptions() }
                try adopt(uid: lease.uid, library: library ?? TemplateLibrary(), options: options ?? EngineOptions())
            } catch {
                logger.error("cannot adopt workflow \(lease.name): \(error)")
            }
        }
    }

    func templateLibrary() -> TemplateLibrary {
        var library = TemplateLibrary()
        for stored in (try? store.listTemplates(kind: "WorkflowTemplate")) ?? [] {
            library.namespaced[stored.name] = stored.workflow.spec
        }
        for stored in (try? store.listTemplates(kind: "ClusterWorkflowTemplate")) ?? [] {
            library.cluster[stored.name] = stored.workflow.spec
        }
        return library
    }

    /// Engine settings from the controller's environment: `TRANSIENT_ERROR_PATTERN` (as Argo's controller reads it),
    /// and the ConfigMaps in `$SWIRL_HOME/configmaps/` (read once per adoption round).
    func engineOptions() -> EngineOptions {
        let (configMaps, problems) = ConfigMapFiles.load(directory: home.configMapsDirectory)
        for problem in problems { logger.warning("ConfigMaps: \(problem)") }
        return EngineOptions(
            transientErrorPattern: ProcessInfo.processInfo.environment["TRANSIENT_ERROR_PATTERN"],
            configMaps: configMaps)
    }

    func executor(for uid: String) -> any Executor {
        executorKind[uid] == "noop" ? noop : sandbox
    }

    func adopt(uid: String, library: TemplateLibrary, options: EngineOptions) throws {
        guard let stored = try store.workflow(uid: uid) else { return }
        executorKind[uid] = stored.workflow.metadata.annotations?[Self.executorAnnotation]
        let executor = executor(for: uid)
        var workflow = stored.workflow
        workflow.metadata.name = stored.name
        if stored.status.nodes.isEmpty && stored.status.phase != .running {
            engines[uid] = EngineBox(
                WorkflowEngine(workflow: workflow, uid: uid, library: library, options: options))
            feed(uid, .start)
            return
        }
        var engine = WorkflowEngine(
            workflow: workflow, uid: uid, status: stored.status, library: library, options: options)
        var events: [EngineEvent] = []
        for nodeID in engine.runningPodNodeIDs {
            guard let node = engine.status.nodes[nodeID], let podName = node.podName else { continue }
            pods[podName] = (uid, nodeID)
            switch executor.observe(podName: podName) {
            case .finished(let result):
                events.append(.podFinished(nodeID: nodeID, result: result))
                collected[uid, default: []].append(podName)
            case .running: break
            case .lost(let reason):
                events.append(.podFinished(nodeID: nodeID, result: PodResult(exitCode: nil, error: reason)))
            case .notStarted:
                do {
                    try executor.start(try engine.podRequest(for: node))
                } catch {
                    events.append(.podFinished(nodeID: nodeID, result: PodResult(exitCode: nil, error: "\(error)")))
                }
            }
        }
        let actions = engine.resume(now: Date())
        engines[uid] = EngineBox(engine)
        dirty[uid, default: []].append("adopted by \(owner.text)")
        owed += actions.map { (uid, $0) }
        for event in events { feed(uid, event) }
    }

    /// Gives a waiting holder its locks if they are free now.
    func tryGrant(_ holder: String) {
        guard let (uid, locks) = lockWaiters[holder] else { return }
        var limits: [String: Int] = [:]
        for lock in locks { limits[lock.name] = lock.isSemaphore ? home.semaphoreLimit(lock.name) : 1 }
        do {
            if try store.acquireLocks(holder: holder, workflowUID: uid, limits: limits) {
                lockWaiters[holder] = nil
                feed(uid, .locksGranted(holder: holder))
            }
        } catch {
            logger.error("cannot acquire locks for \(holder): \(error)")
        }
    }

    /// Carries out commands (stop, terminate, suspend, resume, node set) queued for the workflows this controller owns.
    func takeCommands() {
        guard !engines.isEmpty, let commands = try? store.takeCommands(uids: Set(engines.keys)) else { return }
        for command in commands {
            let uid = command.uid
            do {
                let payload =
                    try command.payload.map {
                        try JSONDecoder().decode(CommandPayload.self, from: Data($0.utf8))
                    } ?? CommandPayload()
                feed(uid, try payload.event(kind: command.kind))
            } catch {
                logger.error("bad command \(command.kind) for workflow \(uid): \(error)")
            }
        }
    }

    /// A safety net under the event-driven path: looks at every pod this controller believes running, so a
    /// completion whose notification was missed (or a pod that never really started) is noticed within seconds.
    func recheckPods() {
        for (podName, (uid, nodeID)) in pods {
            guard let box = engines[uid], let node = box.engine.status.nodes[nodeID], !node.phase.isCompleted else {
                pods[podName] = nil
                continue
            }
            switch executor(for: uid).observe(podName: podName) {
            case .finished(let result):
                pods[podName] = nil
                collected[uid, default: []].append(podName)
                feed(uid, .podFinished(nodeID: nodeID, result: result))
            case .lost(let reason):
                pods[podName] = nil
                feed(uid, .podFinished(nodeID: nodeID, result: PodResult(exitCode: nil, error: reason)))
            case .notStarted:
                if let request = try? box.engine.podRequest(for: node) { try? executor(for: uid).start(request) }
            case .running:
                break
            }
        }
    }

    func renewLeases() {
        recheckPods()
        let now = Date()
        // One transaction for all of them: a thousand owned workflows must not cost a thousand commits.
        let kept =
            (try? store.renewLeases(
                uids: Array(engines.keys), owner: owner.text, until: now.addingTimeInterval(leaseDuration), now: now))
            ?? []
        for uid in engines.keys where !kept.contains(uid) {
            logger.warning("lost the lease of workflow \(uid)")
            engines[uid] = nil
        }
        adoptWorkflows()
    }

    // MARK: - Events

    /// - Parameter seenAt: when the pod's done marker was seen appearing, if it was seen live.
    func podDone(_ podName: String, seenAt: Date? = nil) {
        if podName.hasSuffix(SandboxLayout.readySuffix) {
            // A daemon's readiness marker (`POD.ready`), not its end.
            let pod = String(podName.dropLast(SandboxLayout.readySuffix.count))
            if let (uid, nodeID) = pods[pod] { feed(uid, .podReady(nodeID: nodeID)) }
            return
        }
        guard let (uid, nodeID) = pods[podName] else { return }
        guard case .finished(var result) = executor(for: uid).observe(podName: podName) else { return }
        // The result's finish time is a file's mtime, from the kernel's coarse clock: it reads up to a few
        // milliseconds early (more on an idle, tickless machine). A marker seen live was created right after the step
        // exited (the sandbox script writes it next), so its arrival is the precise finish time.
        if let seenAt, let finished = result.finishedAt, seenAt >= finished, seenAt.timeIntervalSince(finished) < 1 {
            result.finishedAt = seenAt
        }
        pods[podName] = nil
        collected[uid, default: []].append(podName)
        feed(uid, .podFinished(nodeID: nodeID, result: result))
    }

    /// Feeds one event to a workflow's engine; its state is committed and its actions performed by `flush()`.
    func feed(_ uid: String, _ event: EngineEvent) {
        guard let box = engines[uid] else { return }
        let actions = box.engine.handle(event, now: Date())
        dirty[uid, default: []].append(Self.describe(event))
        owed += actions.map { (uid, $0) }
    }

    /// Commits every changed workflow (one transaction each), then performs the actions their engines asked for.
    func flush() {
        while !dirty.isEmpty || !owed.isEmpty {
            let changed = dirty
            dirty = [:]
            let saved = commit(changed)
            let stored = collected
            collected = [:]
            for (uid, podNames) in stored where saved.contains(uid) {
                executor(for: uid).resultsRecorded(podNames: podNames)
            }
            let actions = owed
            owed = []
            for (uid, action) in actions { perform([action], uid: uid) }
        }
    }

    /// Saves every changed workflow's state in one transaction (a thousand workflows finishing in one turn of the
    /// loop cost a thousand commits before), and tells which were saved.
    @discardableResult
    func commit(_ changed: [String: [String]]) -> Set<String> {
        var batches: [StateBatch] = []
        for (uid, events) in changed {
            guard let box = engines[uid] else { continue }
            let nodes = box.engine.takeChangedNodeIDs().compactMap { box.engine.status.nodes[$0] }
            var batch = StateBatch(
                uid: uid, status: box.engine.status, changedNodes: nodes, events: events,
                manifest: box.engine.takeChangedManifest())
            batch.phaseUnchanged = box.savedPhase == box.engine.status.phase
            // A finished workflow's lease goes with its last state.
            if box.engine.status.phase.isCompleted { batch.releasingLeaseOf = owner.text }
            batches.append(batch)
        }
        do {
            try store.save(batches)
            for batch in batches { engines[batch.uid]?.savedPhase = batch.status.phase }
            return Set(batches.map(\.uid))
        } catch {
            // One bad batch must not lose the others: save them one by one, reporting the one that fails.
            var saved: Set<String> = []
            for batch in batches {
                do {
                    try store.save(batch)
                    engines[batch.uid]?.savedPhase = batch.status.phase
                    saved.insert(batch.uid)
                } catch {
                    logger.error("cannot save workflow \(batch.uid): \(error)")
                }
            }
            return saved
        }
    }

    func perform(_ actions: [EngineAction], uid: String) {
        for action in actions {
            switch action {
            case .startPod(let request):
                pods[request.podName] = (uid, request.nodeID)
                let executor = executor(for: uid)
                do {
                    try executor.start(request)
                    if executor.completesInProcess { post(.podDone(request.podName)) }
                } catch {
                    feed(uid, .podFinished(nodeID: request.nodeID, result: PodResult(exitCode: nil, error: "\(error)")))
                }
            case .killPod(_, let podName):
                executor(for: uid).kill(podName: podName)
            case .wakeAt(let date):
                schedule(uid: uid, at: date)
            case .acquireLocks(let holder, let locks):
                lockWaiters[holder] = (uid, locks)
                tryGrant(holder)
            case .releaseLocks(let holder, _):
                lockWaiters[holder] = nil
                do { try store.releaseLocks(holder: holder) } catch {
                    logger.error("cannot release locks of \(holder): \(error)")
                }
                for waiting in lockWaiters.keys.sorted() { tryGrant(waiting) }
                home.poke("release")
            case .memoLookup(let nodeID, let cache, let key, let maxAge):
                let outputs = try? store.memoized(cache: cache, key: key, maxAge: maxAge, now: Date())
                feed(uid, .memoResult(nodeID: nodeID, outputs: outputs ?? nil))
            case .memoSave(let cache, let key, let outputs):
                do {
                    try store.memoize(cache: cache, key: key, outputs: outputs, now: Date())
                } catch {
                    logger.error("cannot save memoized outputs \(cache)/\(key): \(error)")
                }
            case .completed:
                home.announceFinished(engines[uid]?.engine.name ?? uid)
                timers[uid]?.cancel()
                timers[uid] = nil
                engines[uid] = nil
                executorKind[uid] = nil  // (the lease was released with the final commit)
            }
        }
    }

    func schedule(uid: String, at date: Date) {
        timers[uid]?.cancel()
        timers[uid] = Task {
            let delay = date.timeIntervalSinceNow
            if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
            if !Task.isCancelled { self.post(.wake(uid)) }
        }
    }

    static func describe(_ event: EngineEvent) -> String {
        switch event {
        case .start: return "start"
        case .podStarted(let id, _): return "pod started \(id)"
        case .podReady(let id): return "daemon ready \(id)"
        case .podFinished(let id, let result):
            return
                "pod finished \(id) exit=\(result.exitCode.map(String.init) ?? "none")\(result.error.map { " error=\($0)" } ?? "")"
        case .wake: return "wake"
        case .shutdown(let terminate): return terminate ? "terminate" : "stop"
        case .suspend: return "suspend"
        case .resume: return "resume"
        case .setNode: return "node set"
        case .memoResult(let id, let outputs): return "memo \(outputs == nil ? "miss" : "hit") \(id)"
        case .locksGranted(let holder): return "locks granted to \(holder)"
        }
    }
}
