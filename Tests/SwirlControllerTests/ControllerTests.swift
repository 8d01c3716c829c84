import Foundation
import SwirlController
import SwirlEngine
import SwirlExecutor
import SwirlSpec
import SwirlStore
import Synchronization
import Testing

@testable import SwirlController

/// A fresh home and its store for a controller test, removed when the test ends.
final class ControllerFixture {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("swirl-ctl-\(UUID().uuidString)")
    let home: SwirlHome
    let store: SQLiteStore

    init() throws {
        home = SwirlHome(url: root)
        try home.prepare()
        store = try SQLiteStore(path: home.databasePath)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Stores the workflow in `yaml` under `uid`, as `swirl submit` does.
    func submit(_ yaml: String, uid: String) throws {
        guard case .workflow(let workflow) = try ManifestLoader.load(text: yaml, file: "wf.yaml")[0].manifest else {
            throw CocoaError(.fileReadCorruptFile)
        }
        try store.submit(workflow, uid: uid, createdAt: Date())
    }

    /// A background-style controller (every workflow of the home) over `executor`.
    func controller(_ executor: any Executor) -> Controller {
        Controller(store: store, executor: executor, home: home, layout: SandboxLayout(home: root), scope: .all)
    }
}

@Suite("Controller loop", .timeLimit(.minutes(1)))
struct ControllerTests {
    @Test("a mailbox hands every input posted from many threads to the loop, in order per thread")
    func mailbox() async {
        let box = Mailbox<Int>()
        let threads = 4
        let perThread = 500
        for t in 0..<threads {
            Thread {
                for i in 0..<perThread { box.post(t * perThread + i) }
            }.start()
        }
        var seen: [Int] = []
        while seen.count < threads * perThread {
            await box.waitForInput()
            seen += box.takeAll()
        }
        #expect(box.isEmpty)
        #expect(Set(seen).count == threads * perThread)
        for t in 0..<threads {
            let mine = seen.filter { $0 / perThread == t }
            #expect(mine == mine.sorted(), "thread \(t)'s inputs keep their order")
        }
    }

    @Test("more workflows than one adoption round takes all run to the end")
    func adoptionInRounds() async throws {
        let fixture = try ControllerFixture()
        let store = fixture.store
        let count = Controller.adoptionsPerRound * 3 + 5
        for index in 0..<count {
            let yaml = """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata:
                  name: wf-\(index)
                  annotations: {"\(Controller.executorAnnotation)": noop}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    steps:
                    - - {name: a, template: t}
                    - - {name: b, template: t}
                  - name: t
                    container: {image: alpine, command: ["true"]}
                """
            try fixture.submit(yaml, uid: "uid-\(index)")
        }
        try await fixture.controller(NoopExecutor()).run(exitWhenIdle: true)
        let workflows = try store.listWorkflows()
        #expect(workflows.count == count)
        #expect(workflows.allSatisfy { $0.status.phase == .succeeded }, "\(workflows.map(\.status.phase))")
        #expect(try store.unfinishedLeases().isEmpty)
    }

    /// Runs every pod at once like `NoopExecutor` and records, when the controller says a pod's result is stored,
    /// what the store holds for it then.
    final class RecordingExecutor: Executor {
        let pods = NoopExecutor()
        let store: SQLiteStore
        let uid: String
        /// Pod name → the stored phase of its node when `resultsRecorded` named it (once per call).
        let recorded = Mutex<[(pod: String, storedPhase: NodePhase?)]>([])

        init(store: SQLiteStore, uid: String) {
            self.store = store
            self.uid = uid
        }

        var completesInProcess: Bool { true }
        func start(_ request: PodRequest) throws { try pods.start(request) }
        func observe(podName: String) -> PodObservation { pods.observe(podName: podName) }
        func kill(podName: String) { pods.kill(podName: podName) }
        func removeWorkflowData(workflowUID: String, podNames: [String]) {}

        func resultsRecorded(podNames: [String]) {
            let nodes = (try? store.workflow(uid: uid))?.status.nodes.values ?? [:].values
            recorded.withLock { recorded in
                for pod in podNames {
                    recorded.append((pod, nodes.first { $0.podName == pod }?.phase))
                }
            }
        }
    }

    @Test("the executor hears that a pod's result is stored once per pod, after the commit that stores it")
    func resultsRecordedAfterTheCommit() async throws {
        let fixture = try ControllerFixture()
        let store = fixture.store
        let yaml = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: recorded}
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
                  - {name: a, template: t}
                  - {name: b, template: t}
                  - {name: c, template: t, dependencies: [a, b]}
              - name: t
                container: {image: alpine, command: ["true"]}
            """
        try fixture.submit(yaml, uid: "uid-recorded")
        let executor = RecordingExecutor(store: store, uid: "uid-recorded")
        try await fixture.controller(executor).run(exitWhenIdle: true)
        let stored = try #require(try store.workflow(uid: "uid-recorded"))
        #expect(stored.status.phase == .succeeded)
        let podNames = Set(stored.status.nodes.values.compactMap(\.podName))
        #expect(podNames.count == 3)
        let recorded = executor.recorded.withLock { $0 }
        #expect(recorded.map(\.pod).sorted() == podNames.sorted(), "each pod once")
        for entry in recorded {
            #expect(
                entry.storedPhase == .succeeded, "\(entry.pod): the store held \(String(describing: entry.storedPhase))"
            )
        }
    }
}
