import Foundation
import Testing

@Suite("Seed pipeline (examples/data-pipeline.yaml)", .timeLimit(.minutes(2)))
struct PipelineTests {
    /// Runs the 15-second seed pipeline once and checks the JSON, `get` and `logs` views of that one run.
    @Test func dataPipelineSucceedsInOrderAndHandsDataAlong() throws {
        try withSwirlHome { swirl in
            let submit = try swirl.run(["submit", "examples/data-pipeline.yaml", "--wait", "-o", "json"], timeout: 60)
            try #require(submit.succeeded, "\(submit)")
            let wf = try Workflow(json: submit.stdout)
            let name = wf.name
            #expect(name.hasPrefix("data-pipeline-"))
            #expect(wf.phase == "Succeeded")

            // Three pod nodes, started in dependency order.
            let pods = wf.podNodes.sorted { ($0.started ?? .distantFuture) < ($1.started ?? .distantFuture) }
            #expect(pods.allSatisfy { $0.started != nil }, "\(pods.map(\.startedAt))")
            #expect(pods.map(\.displayName) == ["fetch-data", "process-data", "store-data"])
            #expect(pods.allSatisfy { $0.phase == "Succeeded" }, "\(pods.map { ($0.displayName, $0.phase) })")
            #expect(Set(pods.map(\.startedAt)).count == 3, "each task starts after the previous one")
            let root = try #require(wf.nodesByID[name].map { Node(id: name, raw: $0) })
            #expect(root.type == "DAG")
            #expect(root.phase == "Succeeded")
            #expect(root.children == pods.map(\.id))
            let store = try #require(wf.node("store-data"))
            #expect(store.result?.contains("data_processed_payload_from_api") == true)

            // logs: the payload is on a line prefixed by the store-data pod name.
            let logs = try swirl.run(["logs", name])
            try #require(logs.succeeded, "\(logs)")
            #expect(!store.podName.isEmpty)
            #expect(
                logs.stdoutLines.contains {
                    $0.hasPrefix(store.podName) && $0.contains("data_processed_payload_from_api")
                },
                "\(logs.stdout)")
            #expect(!logs.stdoutLines.contains { !$0.hasPrefix(store.podName) && $0.contains("data_processed") })

            // logs NAME POD: only that pod's lines.
            let storeLogs = try swirl.run(["logs", name, store.podName])
            try #require(storeLogs.succeeded, "\(storeLogs)")
            #expect(storeLogs.stdout.contains("data_processed_payload_from_api"))
            #expect(storeLogs.stdout.contains("Data stored successfully."))
            #expect(!storeLogs.stdout.contains("Fetching data"), "\(storeLogs.stdout)")
            #expect(!storeLogs.stdout.contains("Processing data"), "\(storeLogs.stdout)")
            let fetchPod = try #require(wf.node("fetch-data")).podName
            #expect(!storeLogs.stdout.contains(fetchPod))

            // get: the three steps, in order, each ✔.
            let get = try swirl.run(["get", name])
            try #require(get.succeeded, "\(get)")
            #expect(get.stdoutLines.contains { $0.hasPrefix("Status:") && $0.hasSuffix("Succeeded") }, "\(get.stdout)")
            let stepLines = ["fetch-data", "process-data", "store-data"].map { step in
                get.stdoutLines.firstIndex { $0.contains(" \(step) ") }
            }
            #expect(stepLines.allSatisfy { $0 != nil }, "\(get.stdout)")
            let indices = stepLines.compactMap { $0 }
            #expect(indices == indices.sorted(), "steps out of order:\n\(get.stdout)")
            for index in indices { #expect(get.stdoutLines[index].contains("✔"), "\(get.stdoutLines[index])") }
        }
    }
}
