import Foundation
import GRDB
import SwirlEngine
import Testing

@testable import SwirlStore

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

    /// Commits back to back (the `noop` executor, many steps ending at once) never leave a moment in which a
    /// background checkpoint has caught up, so the WAL would only start over at the 64 MB fallback; the thread's
    /// `RESTART` checkpoint makes it start over at a few megabytes. (Written with SQL on the store's own writer,
    /// which carries the checkpointer's hook: the store's `save` leaves gaps between commits in a debug build.)
    @Test func commitsWithoutPauseStillLetTheWALStartOver() throws {
        let temp = try TempStore()
        let walPath = temp.directory.appendingPathComponent("swirl.db-wal").path
        try temp.store.db.write { try $0.execute(sql: "CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)") }
        var largestWAL = 0
        let commits = 1_200  // about 50 KB of WAL each: 60 MB in all (the fallback starts over at 64 MB)
        try temp.store.db.writeWithoutTransaction { db in
            for step in 0..<commits {
                // Each statement is its own transaction: one commit, and one call of the WAL hook.
                try db.execute(sql: "INSERT INTO filler (data) VALUES (zeroblob(48000))")
                if step % 10 == 0 {
                    let size = ((try? FileManager.default.attributesOfItem(atPath: walPath))?[.size] as? Int) ?? 0
                    largestWAL = max(largestWAL, size)
                }
            }
        }
        #expect(largestWAL < 40 << 20, "the WAL grew to \(largestWAL) bytes")
        let reopened = try temp.reopen()
        let rows = try reopened.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM filler") }
        #expect(rows == commits)
    }
}
