import Foundation
import SwirlEngine
import SwirlStore
import Testing

/// The WAL is copied back into the database by a thread of the store's own as it grows, so it stays short however
/// many commits a workflow makes, and nothing committed is lost.
@Suite struct WALCheckpointTests {
    @Test func theWALStaysShortAcrossManyCommitsAndEveryCommitSurvives() throws {
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "busy"), uid: "u1", createdAt: t0)
        let walPath = temp.directory.appendingPathComponent("swirl.db-wal").path
        var status = WorkflowStatus(phase: .running)
        var largestWAL = 0
        let commits = 400
        for step in 0..<commits {
            // Each commit writes about 50 KB of WAL (20 MB in all), a couple of milliseconds apart as a controller's
            // commits are (one per finished step): the thread's checkpoints finish between them.
            var node = NodeStatus(
                id: "busy-\(step % 50)", name: "busy.t\(step % 50)", displayName: "t", type: .pod, phase: .running)
            node.message = String(repeating: "x", count: 48_000) + "\(step)"
            status.nodes[node.id] = node
            status.progress = "\(step)/\(commits)"
            try temp.store.save(StateBatch(uid: "u1", status: status, changedNodes: [node], events: ["step \(step)"]))
            let size = ((try? FileManager.default.attributesOfItem(atPath: walPath))?[.size] as? Int) ?? 0
            largestWAL = max(largestWAL, size)
            usleep(2000)
        }
        #expect(largestWAL < 12 << 20, "the WAL grew to \(largestWAL) bytes")
        let reopened = try temp.reopen()
        let stored = try #require(try reopened.workflow(uid: "u1"))
        #expect(stored.status.progress == "\(commits - 1)/\(commits)")
        #expect(stored.status.nodes.count == 50)
        #expect(stored.status.nodes["busy-49"]?.message?.hasSuffix("\(commits - 1)") == true)
    }
}
