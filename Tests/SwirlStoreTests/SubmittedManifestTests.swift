import Foundation
import SwirlEngine
import SwirlSpec
import Testing

@testable import SwirlStore

/// A store hands back the workflows it submitted itself without decoding their manifests again; what it hands back
/// must be what decoding gives (the background controller, in another process, decodes).
@Suite struct SubmittedManifestTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every workflow of the repository's examples and end-to-end fixtures.
    static func workflows() throws -> [(file: String, workflow: Workflow)] {
        let directories = ["examples", "Tests/Fixtures/e2e"].map { repository.appendingPathComponent($0) }
        var found: [(String, Workflow)] = []
        for directory in directories {
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
                $0.hasSuffix(".yaml")
            }
            for file in files.sorted() {
                let path = directory.appendingPathComponent(file).path
                // (The lint fixtures that are not valid YAML or do not decode are not workflows to store.)
                guard let documents = try? ManifestLoader.load(file: path) else { continue }
                for document in documents {
                    if case .workflow(var workflow) = document.manifest {
                        workflow.metadata.name = workflow.metadata.name ?? "from-\(file.dropLast(5))"
                        found.append((file, workflow))
                    }
                }
            }
        }
        return found
    }

    @Test func aSubmittedWorkflowReadsBackAsItsManifestDecodes() throws {
        let workflows = try Self.workflows()
        #expect(workflows.count >= 10, "\(workflows.count) workflows found")
        let temp = try TempStore()
        var uids: [String] = []
        for (index, entry) in workflows.enumerated() {
            var workflow = entry.workflow
            workflow.metadata.name = "wf-\(index)"
            let uid = "uid-\(index)"
            try temp.store.submit(workflow, uid: uid, createdAt: t0)
            uids.append(uid)
        }
        let fresh = try temp.reopen()  // knows none of them: decodes every manifest
        for (index, uid) in uids.enumerated() {
            let known = try #require(try temp.store.workflow(uid: uid))
            let decoded = try #require(try fresh.workflow(uid: uid))
            #expect(known.workflow == decoded.workflow, "\(workflows[index].file)")
        }
    }

    @Test func aChangedManifestIsDecodedAgain() throws {
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "changing"), uid: "u1", createdAt: t0)
        var changed = try #require(try temp.store.workflow(uid: "u1")).workflow
        changed.spec.entrypoint = "elsewhere"
        try temp.store.save(
            StateBatch(
                uid: "u1", status: WorkflowStatus(phase: .running), changedNodes: [], events: ["changed"],
                manifest: changed))
        #expect(try temp.store.workflow(uid: "u1")?.workflow.spec.entrypoint == "elsewhere")
    }
}
