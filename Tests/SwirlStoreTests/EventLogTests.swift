import Foundation
import GRDB
import SwirlEngine
import SwirlStore
import Testing

/// The event log and the workflow row as a running workflow's commits leave them.
@Suite struct EventLogTests {
    func events(_ temp: TempStore) throws -> [String] {
        try DatabaseQueue(path: temp.directory.appendingPathComponent("swirl.db").path).read { db in
            try Row.fetchAll(db, sql: "SELECT workflow_uid, seq, data FROM event ORDER BY workflow_uid, seq").map {
                "\($0["workflow_uid"] as String) \($0["seq"] as Int) \($0["data"] as String)"
            }
        }
    }

    func storedPhase(_ temp: TempStore, uid: String) throws -> String? {
        try DatabaseQueue(path: temp.directory.appendingPathComponent("swirl.db").path).read { db in
            try String.fetchOne(db, sql: "SELECT phase FROM workflow WHERE uid = ?", arguments: [uid])
        }
    }

    @Test func eachWorkflowsEventsAreNumberedInTheOrderTheyCame() throws {
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "a"), uid: "ua", createdAt: t0)
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "b"), uid: "ub", createdAt: t0)
        let running = WorkflowStatus(phase: .running)
        try temp.store.save(StateBatch(uid: "ua", status: running, changedNodes: [], events: ["start"]))
        try temp.store.save([
            StateBatch(uid: "ub", status: running, changedNodes: [], events: ["start", "pod finished x"]),
            StateBatch(uid: "ua", status: running, changedNodes: [], events: ["pod finished y"]),
        ])
        #expect(
            try events(temp) == [
                "ua 1 submitted", "ua 2 start", "ua 3 pod finished y",
                "ub 1 submitted", "ub 2 start", "ub 3 pod finished x",
            ])
        try temp.store.deleteWorkflow(uid: "ua")
        #expect(try events(temp) == ["ub 1 submitted", "ub 2 start", "ub 3 pod finished x"])
    }

    @Test func aBatchWithAnUnchangedPhaseLeavesThePhaseAndWritesTheRest() throws {
        let temp = try TempStore()
        try temp.store.submit(try loadWorkflow(sampleYAML, name: "a"), uid: "ua", createdAt: t0)
        var status = WorkflowStatus(phase: .running)
        status.progress = "0/2"
        try temp.store.save(StateBatch(uid: "ua", status: status, changedNodes: [], events: []))
        #expect(try storedPhase(temp, uid: "ua") == "Running")
        // The writer says the phase is the one it saved last: everything else is written.
        status.progress = "1/2"
        status.message = "one done"
        var batch = StateBatch(uid: "ua", status: status, changedNodes: [], events: [])
        batch.phaseUnchanged = true
        try temp.store.save(batch)
        let stored = try #require(try temp.store.workflow(uid: "ua"))
        #expect(stored.status.phase == .running)
        #expect(stored.status.progress == "1/2")
        #expect(stored.status.message == "one done")
        // A changed phase is written (the flag is only ever set when it holds; here it proves the column is skipped).
        status.phase = .succeeded
        batch = StateBatch(uid: "ua", status: status, changedNodes: [], events: [])
        batch.phaseUnchanged = true
        try temp.store.save(batch)
        #expect(try storedPhase(temp, uid: "ua") == "Running", "the phase column was left alone")
        batch.phaseUnchanged = false
        try temp.store.save(batch)
        #expect(try storedPhase(temp, uid: "ua") == "Succeeded")
    }
}
