import Foundation
import Synchronization
import Testing

@testable import SwirlSpec

@Suite struct SideTaskTests {
    struct Failure: Error, Equatable { let code: Int }

    @Test func theValueComesBackWhoeverRanIt() throws {
        let tasks = (0..<50).map { index in SideTask { (0...index).reduce(0, +) } }
        for (index, task) in tasks.enumerated() {
            #expect(try task.result() == index * (index + 1) / 2)
            #expect(try task.result() == index * (index + 1) / 2, "a second call gives the same value")
        }
    }

    @Test func anErrorIsRethrownToTheCaller() {
        let task = SideTask { () throws -> Int in throw Failure(code: 7) }
        #expect(throws: Failure(code: 7)) { try task.result() }
        #expect(throws: Failure(code: 7)) { try task.result() }
    }

    @Test func theWorkRunsExactlyOnce() throws {
        // Whether its own thread or the caller runs it, the work runs once.
        let runs = Atomic<Int>(0)
        let callerWentOn = DispatchSemaphore(value: 0)
        let task = SideTask { () -> Int in
            callerWentOn.wait()
            return runs.add(1, ordering: .relaxed).newValue
        }
        callerWentOn.signal()
        #expect(try task.result() == 1)
        #expect(runs.load(ordering: .relaxed) == 1)
    }
}
