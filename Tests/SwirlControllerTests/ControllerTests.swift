import Foundation
import SwirlController
import SwirlEngine
import SwirlExecutor
import SwirlSpec
import SwirlStore
import Synchronization
import Testing

@testable import SwirlController

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
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("swirl-ctl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let home = SwirlHome(url: root)
        try home.prepare()
        let store = try SQLiteStore(path: home.databasePath)
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
            guard case .workflow(let workflow) = try ManifestLoader.load(text: yaml, file: "wf.yaml")[0].manifest else {
                Issue.record("not a workflow")
                return
            }
            try store.submit(workflow, uid: "uid-\(index)", createdAt: Date())
        }
        let layout = SandboxLayout(home: root)
        let controller = Controller(
            store: store, executor: NoopExecutor(), home: home, layout: layout, scope: .all)
        try await controller.run(exitWhenIdle: true)
        let workflows = try store.listWorkflows()
        #expect(workflows.count == count)
        #expect(workflows.allSatisfy { $0.status.phase == .succeeded }, "\(workflows.map(\.status.phase))")
        #expect(try store.unfinishedLeases().isEmpty)
    }
}
