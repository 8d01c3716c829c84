import Foundation
import SwirlEngine
import SwirlSpec
import SwirlStore
import Testing

/// A fresh SQLite store in its own temporary directory.
final class TempStore {
    let directory: URL
    let store: SQLiteStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("swirl-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("swirl.db").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Reopens the same database file (a new process after a restart).
    func reopen() throws -> SQLiteStore {
        try SQLiteStore(path: directory.appendingPathComponent("swirl.db").path)
    }
}

func loadWorkflow(_ yaml: String, name: String) throws -> Workflow {
    let docs = try ManifestLoader.load(text: yaml, file: "test.yaml")
    guard case .workflow(var workflow)? = docs.first?.manifest else { throw StoreError.corrupt("not a workflow") }
    workflow.metadata.name = name
    return workflow
}

let sampleYAML = """
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-
      labels: {team: a}
    spec:
      entrypoint: main
      arguments:
        parameters: [{name: who, value: world}]
      templates:
      - name: main
        dag:
          tasks:
          - {name: A, template: echo}
          - {name: B, template: echo, dependencies: [A]}
          - {name: C, template: echo, dependencies: [A]}
      - name: echo
        container: {image: alpine, command: [echo, "{{workflow.parameters.who}}"]}
    """

let t0 = Date(timeIntervalSince1970: 1_700_000_000)

@Suite struct SQLiteStoreTests {
    @Test func submitAndReadBack() throws {
        let temp = try TempStore()
        let workflow = try loadWorkflow(sampleYAML, name: "hello-abc")
        try temp.store.submit(workflow, uid: "u1", createdAt: t0)
        let stored = try #require(try temp.store.workflow(named: "hello-abc"))
        #expect(stored.uid == "u1")
        #expect(stored.name == "hello-abc")
        #expect(stored.namespace == "default")
        #expect(stored.createdAt == t0)
        #expect(stored.status.phase == .pending)
        #expect(stored.status.nodes.isEmpty)
        #expect(stored.workflow.spec == workflow.spec)
        #expect(stored.workflow.metadata.labels == ["team": "a"])
        let byUID = try #require(try temp.store.workflow(uid: "u1"))
        #expect(byUID.name == "hello-abc")
        #expect(try temp.store.workflow(named: "nope") == nil)
        #expect(try temp.store.workflow(uid: "nope") == nil)
        #expect(try temp.store.hasUnfinishedWorkflows())
        #expect(stored.object.metadata.uid == "u1")
        #expect(stored.object.metadata.creationTimestamp == ArgoTime.format(t0))
    }

    @Test func duplicateNameRejected() throws {
        let temp = try TempStore()
        let workflow = try loadWorkflow(sampleYAML, name: "same")
        try temp.store.submit(workflow, uid: "u1", createdAt: t0)
        let error = #expect(throws: StoreError.self) {
            try temp.store.submit(workflow, uid: "u2", createdAt: t0)
        }
        guard case .alreadyExists(let name)? = error else {
            Issue.record("expected alreadyExists, got \(String(describing: error))")
            return
        }
        #expect(name == "same")
        #expect(try temp.store.listWorkflows().count == 1)
    }

    @Test func saveWritesOnlyGivenNodes() throws {
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "w"), uid: "u1", createdAt: t0)
        var status = WorkflowStatus(phase: .running)
        status.startedAt = t0
        status.progress = "0/1"
        var a = NodeStatus(id: "w-1", name: "w.A", displayName: "A", type: .pod, phase: .running)
        a.startedAt = t0
        let b = NodeStatus(id: "w-2", name: "w.B", displayName: "B", type: .pod, phase: .pending)
        status.nodes = [a.id: a, b.id: b]
        try temp.store.save(StateBatch(uid: "u1", status: status, changedNodes: [a], events: ["start"]))
        var stored = try #require(try temp.store.workflow(uid: "u1"))
        #expect(stored.status.phase == .running)
        #expect(stored.status.startedAt == t0)
        #expect(stored.status.progress == "0/1")
        #expect(Array(stored.status.nodes.keys) == ["w-1"], "only the batch's nodes are written")
        #expect(stored.status.nodes["w-1"] == a)

        a.phase = .succeeded
        a.finishedAt = t0.addingTimeInterval(5)
        status.phase = .failed
        status.message = "child 'w-2' failed"
        status.finishedAt = t0.addingTimeInterval(9)
        var outputs = Outputs()
        outputs.parameters = [Parameter(name: "g", value: "1")]
        status.outputs = outputs
        try temp.store.save(StateBatch(uid: "u1", status: status, changedNodes: [a, b], events: []))
        stored = try #require(try temp.store.workflow(uid: "u1"))
        #expect(stored.status.phase == .failed)
        #expect(stored.status.message == "child 'w-2' failed")
        #expect(stored.status.finishedAt == t0.addingTimeInterval(9))
        #expect(stored.status.outputs == outputs)
        #expect(stored.status.nodes.count == 2)
        #expect(stored.status.nodes["w-1"]?.phase == .succeeded)
        #expect(stored.status.nodes["w-1"]?.finishedAt == t0.addingTimeInterval(5))
        #expect(try !temp.store.hasUnfinishedWorkflows())
        #expect(try temp.store.unfinishedLeases().isEmpty)
    }

    /// Drive a real engine, save each reconcile's changed nodes, and reload: the store equals the engine's status.
    @Test func manyBatchesReloadEqualsEngineStatus() throws {
        let temp = try TempStore()
        let workflow = try loadWorkflow(sampleYAML, name: "w")
        try temp.store.submit(workflow, uid: "u1", createdAt: t0)
        var engine = WorkflowEngine(workflow: workflow, uid: "u1")
        var now = t0
        var pending: [PodRequest] = []
        var batches = 0
        func commit(_ actions: [EngineAction], event: String) throws {
            let changed = engine.takeChangedNodeIDs().compactMap { engine.status.nodes[$0] }
            try temp.store.save(StateBatch(uid: "u1", status: engine.status, changedNodes: changed, events: [event]))
            batches += 1
            for case .startPod(let request) in actions { pending.append(request) }
        }
        try commit(engine.handle(.start, now: now), event: "start")
        while !pending.isEmpty {
            let request = pending.removeFirst()
            now = now.addingTimeInterval(1)
            try commit(engine.handle(.podStarted(nodeID: request.nodeID, at: now), now: now), event: "started")
            now = now.addingTimeInterval(1)
            let result = PodResult(exitCode: 0, stdout: "out \(request.podName)", finishedAt: now)
            try commit(engine.handle(.podFinished(nodeID: request.nodeID, result: result), now: now), event: "finished")
        }
        #expect(engine.status.phase == .succeeded)
        #expect(batches == 7)
        let stored = try #require(try temp.reopen().workflow(uid: "u1"))
        #expect(stored.status.phase == engine.status.phase)
        #expect(stored.status.startedAt == engine.status.startedAt)
        #expect(stored.status.finishedAt == engine.status.finishedAt)
        #expect(stored.status.progress == engine.status.progress)
        #expect(stored.status.nodes == engine.status.nodes)
        #expect(stored.status.nodes.count == 4)
        // The stored status restores an engine that has nothing left to do.
        var restored = WorkflowEngine(workflow: stored.workflow, uid: stored.uid, status: stored.status)
        #expect(restored.resume(now: now).isEmpty)
    }

    @Test func leases() throws {
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "w"), uid: "u1", createdAt: t0)
        let s = temp.store
        #expect(try s.acquireLease(uid: "u1", owner: "c1", until: t0.addingTimeInterval(30), now: t0, replacing: nil))
        #expect(
            try s.acquireLease(uid: "u1", owner: "c1", until: t0.addingTimeInterval(60), now: t0, replacing: nil),
            "renewal")
        #expect(
            try !s.acquireLease(
                uid: "u1", owner: "c2", until: t0.addingTimeInterval(90), now: t0.addingTimeInterval(10), replacing: nil
            ),
            "live lease of another owner")
        #expect(
            try !s.acquireLease(
                uid: "u1", owner: "c2", until: t0.addingTimeInterval(90), now: t0.addingTimeInterval(10),
                replacing: "c9"),
            "replacing someone else than the holder")
        let lease = try #require(try s.unfinishedLeases().first)
        #expect(lease.uid == "u1")
        #expect(lease.name == "w")
        #expect(lease.owner == "c1")
        #expect(lease.expires == t0.addingTimeInterval(60))
        #expect(
            try s.acquireLease(
                uid: "u1", owner: "c2", until: t0.addingTimeInterval(90), now: t0.addingTimeInterval(10),
                replacing: "c1"),
            "dead holder replaced")
        #expect(try s.unfinishedLeases().first?.owner == "c2")
        #expect(
            try s.acquireLease(
                uid: "u1", owner: "c3", until: t0.addingTimeInterval(200), now: t0.addingTimeInterval(100),
                replacing: nil),
            "expired lease taken")
        #expect(try s.unfinishedLeases().first?.owner == "c3")
        try s.releaseLease(uid: "u1", owner: "c2")
        #expect(try s.unfinishedLeases().first?.owner == "c3", "only the holder releases")
        try s.releaseLease(uid: "u1", owner: "c3")
        #expect(try s.unfinishedLeases().first?.owner == nil)
        #expect(
            try s.acquireLease(
                uid: "u1", owner: "c4", until: t0.addingTimeInterval(300), now: t0.addingTimeInterval(100),
                replacing: nil))
        #expect(try !s.acquireLease(uid: "nope", owner: "c4", until: t0, now: t0, replacing: nil))
    }

    @Test func commands() throws {
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "w"), uid: "u1", createdAt: t0)
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "v"), uid: "u2", createdAt: t0)
        try temp.store.enqueueCommand(uid: "u1", kind: "stop", payload: nil)
        try temp.store.enqueueCommand(uid: "u2", kind: "terminate", payload: nil)
        try temp.store.enqueueCommand(uid: "u1", kind: "resume", payload: "displayName=a")
        let taken = try temp.store.takeCommands(uid: "u1")
        #expect(taken.map(\.kind) == ["stop", "resume"])
        #expect(taken.map(\.payload) == [nil, "displayName=a"])
        #expect(taken.allSatisfy { $0.uid == "u1" })
        #expect(taken[0].id < taken[1].id)
        #expect(try temp.store.takeCommands(uid: "u1").isEmpty)
        #expect(try temp.store.takeCommands(uid: "u2").map(\.kind) == ["terminate"])
    }

    @Test func manyNodesDecodeInParallelToTheSameMap() throws {
        // Rows are decoded in chunks of 4,096 on every core, the reading thread helping once it has read them all,
        // then moved into one array in parallel: each node must still land under its own ID.
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "w"), uid: "u1", createdAt: t0)
        var status = WorkflowStatus(phase: .running)
        var nodes: [NodeStatus] = []
        for index in 0..<13_000 {
            var node = NodeStatus(
                id: "w-\(index)", name: "w.t\(index)", displayName: "t\(index)", type: .pod,
                phase: index % 3 == 0 ? .failed : .succeeded)
            node.startedAt = t0.addingTimeInterval(Double(index))
            node.message = index % 7 == 0 ? "message \(index)" : nil
            nodes.append(node)
            status.nodes[node.id] = node
        }
        try temp.store.save(StateBatch(uid: "u1", status: status, changedNodes: nodes, events: []))
        let stored = try #require(try temp.store.workflow(uid: "u1"))
        #expect(stored.status.nodes.count == nodes.count)
        #expect(nodes.allSatisfy { stored.status.nodes[$0.id] == $0 })
    }

    @Test func nodesForDisplayMatchTheStoredMap() throws {
        // `swirl get` reads nodes as a list (no dictionary); it must hold exactly the nodes of the map, each under
        // its own ID, both for the fast row shape and for nodes that need Codable (inputs, output parameters).
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "w"), uid: "u1", createdAt: t0)
        var status = WorkflowStatus(phase: .running)
        var nodes: [NodeStatus] = []
        for index in 0..<3_000 {
            var node = NodeStatus(
                id: "w-\(index)", name: "w.t\(index)", displayName: "t\(index)", type: .pod, phase: .succeeded)
            node.finishedAt = t0.addingTimeInterval(Double(index))
            if index % 500 == 0 {
                node.inputs = Inputs(parameters: [Parameter(name: "p", value: "v\(index)")])
            }
            nodes.append(node)
            status.nodes[node.id] = node
        }
        try temp.store.save(StateBatch(uid: "u1", status: status, changedNodes: nodes, events: []))
        let (header, list) = try #require(try temp.store.workflowForDisplay(named: "w"))
        #expect(header.status.nodes.isEmpty)
        #expect(header.status.phase == .running)
        #expect(list.count == nodes.count)
        let byID = Dictionary(uniqueKeysWithValues: zip(list.ids, list.nodes))
        #expect(nodes.allSatisfy { byID[$0.id] == $0 })
        #expect(try temp.store.workflowForDisplay(named: "nope") == nil)
    }

    @Test func latestIsTheNewestByCreationThenName() throws {
        let temp = try TempStore()
        #expect(try temp.store.latestWorkflowName() == nil)
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "old"), uid: "u1", createdAt: t0)
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "new-b"), uid: "u2", createdAt: t0 + 5)
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "new-a"), uid: "u3", createdAt: t0 + 5)
        #expect(try temp.store.latestWorkflowName() == "new-a")
        #expect(try temp.store.latestWorkflowName() == temp.store.listWorkflows().first?.name)
    }

    @Test func leasesOfManyWorkflowsInOneCall() throws {
        let temp = try TempStore()
        let s = temp.store
        for name in ["a", "b", "c", "d"] {
            try s.submit(try loadWorkflow(sampleYAML, name: name), uid: "u-\(name)", createdAt: t0)
        }
        #expect(
            try s.acquireLease(uid: "u-b", owner: "live", until: t0.addingTimeInterval(60), now: t0, replacing: nil))
        #expect(
            try s.acquireLease(uid: "u-c", owner: "dead", until: t0.addingTimeInterval(60), now: t0, replacing: nil))
        let taken = try s.acquireLeases(
            ["u-a": nil, "u-b": nil, "u-c": "dead", "u-missing": nil], owner: "me", until: t0.addingTimeInterval(30),
            now: t0.addingTimeInterval(1))
        #expect(taken == ["u-a", "u-c"], "a live lease is kept; a dead owner's is taken over")
        let owners = Dictionary(uniqueKeysWithValues: try s.unfinishedLeases().map { ($0.uid, $0.owner) })
        #expect(
            owners["u-a"] == "me" && owners["u-b"] == "live" && owners["u-c"] == "me" && owners["u-d"] == .some(nil))
    }

    @Test func theLastSaveCanReleaseTheLease() throws {
        let temp = try TempStore()
        let s = temp.store
        try s.submit(try loadWorkflow(sampleYAML, name: "w"), uid: "u1", createdAt: t0)
        #expect(try s.acquireLease(uid: "u1", owner: "c1", until: t0.addingTimeInterval(30), now: t0, replacing: nil))
        var batch = StateBatch(uid: "u1", status: WorkflowStatus(phase: .running), changedNodes: [], events: [])
        try s.save(batch)
        #expect(try s.unfinishedLeases().first?.owner == "c1", "an ordinary save keeps the lease")
        batch.status.phase = .succeeded
        batch.releasingLeaseOf = "someone-else"
        try s.save(batch)
        #expect(try !s.acquireLease(uid: "u1", owner: "c2", until: t0.addingTimeInterval(30), now: t0, replacing: nil))
        batch.releasingLeaseOf = "c1"
        try s.save(batch)
        #expect(try s.acquireLease(uid: "u1", owner: "c2", until: t0.addingTimeInterval(30), now: t0, replacing: nil))
    }

    @Test func submittingSeveralIsAllOrNothing() throws {
        let temp = try TempStore()
        let batch = try ["a", "b", "c"].map {
            NewWorkflow(workflow: try loadWorkflow(sampleYAML, name: $0), uid: "u-\($0)", createdAt: t0)
        }
        try temp.store.submit(batch)
        #expect(try temp.store.listWorkflows().map(\.name).sorted() == ["a", "b", "c"])
        let clash = try ["d", "b", "e"].map {
            NewWorkflow(workflow: try loadWorkflow(sampleYAML, name: $0), uid: "v-\($0)", createdAt: t0)
        }
        #expect(throws: StoreError.alreadyExists("b")) { try temp.store.submit(clash) }
        #expect(try temp.store.listWorkflows().map(\.name).sorted() == ["a", "b", "c"], "none of the clashing batch")
    }

    @Test func commandsOfSeveralWorkflowsInOneCall() throws {
        let temp = try TempStore()
        for (name, uid) in [("w", "u1"), ("v", "u2"), ("x", "u3")] {
            try temp.store.submit(try loadWorkflow(sampleYAML, name: name), uid: uid, createdAt: t0)
        }
        try temp.store.enqueueCommand(uid: "u1", kind: "stop", payload: nil)
        try temp.store.enqueueCommand(uid: "u3", kind: "suspend", payload: nil)
        try temp.store.enqueueCommand(uid: "u2", kind: "terminate", payload: nil)
        try temp.store.enqueueCommand(uid: "u1", kind: "resume", payload: "displayName=a")
        let taken = try temp.store.takeCommands(uids: ["u1", "u2"])
        #expect(taken.map(\.kind) == ["stop", "terminate", "resume"])
        #expect(taken.map(\.uid) == ["u1", "u2", "u1"])
        #expect(try temp.store.takeCommands(uids: ["u1", "u2"]).isEmpty)
        // Commands of workflows not asked for stay queued.
        #expect(try temp.store.takeCommands(uids: ["u3"]).map(\.kind) == ["suspend"])
        #expect(try temp.store.takeCommands(uids: []).isEmpty)
    }

    @Test func templates() throws {
        let temp = try TempStore()
        let s = temp.store
        let a = try loadWorkflow(
            sampleYAML.replacingOccurrences(of: "kind: Workflow", with: "kind: WorkflowTemplate"), name: "tmpl-a")
        let b = try loadWorkflow(sampleYAML, name: "tmpl-b")
        try s.putTemplate(kind: "WorkflowTemplate", workflow: b, now: t0)
        try s.putTemplate(kind: "WorkflowTemplate", workflow: a, now: t0)
        try s.putTemplate(kind: "ClusterWorkflowTemplate", workflow: a, now: t0)
        #expect(try s.listTemplates(kind: "WorkflowTemplate").map(\.name) == ["tmpl-a", "tmpl-b"])
        #expect(try s.listTemplates(kind: "ClusterWorkflowTemplate").map(\.name) == ["tmpl-a"])
        let got = try #require(try s.template(kind: "WorkflowTemplate", name: "tmpl-a"))
        #expect(got.workflow.spec == a.spec)
        #expect(got.kind == "WorkflowTemplate")
        #expect(got.createdAt == t0)
        #expect(try s.template(kind: "WorkflowTemplate", name: "nope") == nil)
        // Put again replaces.
        var changed = a
        changed.spec.entrypoint = "other"
        try s.putTemplate(kind: "WorkflowTemplate", workflow: changed, now: t0.addingTimeInterval(1))
        #expect(try s.template(kind: "WorkflowTemplate", name: "tmpl-a")?.workflow.spec.entrypoint == "other")
        #expect(try s.listTemplates(kind: "WorkflowTemplate").count == 2)
        #expect(try s.deleteTemplate(kind: "WorkflowTemplate", name: "tmpl-a"))
        #expect(try !s.deleteTemplate(kind: "WorkflowTemplate", name: "tmpl-a"))
        #expect(try s.template(kind: "WorkflowTemplate", name: "tmpl-a") == nil)
        #expect(try s.template(kind: "ClusterWorkflowTemplate", name: "tmpl-a") != nil)
    }

    @Test func listNewestFirst() throws {
        let temp = try TempStore()
        for (index, name) in ["old", "mid", "new"].enumerated() {
            try temp.store.submit(
                try loadWorkflow(sampleYAML, name: name), uid: "u\(index)",
                createdAt: t0.addingTimeInterval(Double(index)))
        }
        var status = WorkflowStatus(phase: .running)
        status.nodes = ["x": NodeStatus(id: "x", name: "mid", displayName: "mid", type: .pod)]
        try temp.store.save(StateBatch(uid: "u1", status: status, changedNodes: Array(status.nodes.values), events: []))
        let list = try temp.store.listWorkflows()
        #expect(list.map(\.name) == ["new", "mid", "old"])
        #expect(list.allSatisfy { $0.status.nodes.isEmpty }, "list is without nodes")
        #expect(list[1].status.phase == .running)
        #expect(try temp.store.unfinishedLeases().map(\.name) == ["old", "mid", "new"], "oldest first")
    }

    @Test func deleteRemovesNodes() throws {
        let temp = try TempStore()
        let workflow = try loadWorkflow(sampleYAML, name: "w")
        try temp.store.submit(workflow, uid: "u1", createdAt: t0)
        var status = WorkflowStatus(phase: .running)
        let node = NodeStatus(id: "w", name: "w", displayName: "w", type: .dag, phase: .running)
        status.nodes = [node.id: node]
        try temp.store.save(StateBatch(uid: "u1", status: status, changedNodes: [node], events: ["e"]))
        try temp.store.enqueueCommand(uid: "u1", kind: "stop", payload: nil)
        try temp.store.deleteWorkflow(uid: "u1")
        #expect(try temp.store.workflow(uid: "u1") == nil)
        #expect(try temp.store.listWorkflows().isEmpty)
        // Re-submitting the same name and uid sees none of the old nodes or commands.
        try temp.store.submit(workflow, uid: "u1", createdAt: t0)
        #expect(try temp.store.workflow(uid: "u1")?.status.nodes.isEmpty == true)
        #expect(try temp.store.takeCommands(uid: "u1").isEmpty)
    }
}
