import Foundation
import Testing

@testable import SwirlExecutor

/// The sweeper removes finished pods' scratch directories on an idle-priority thread, within bounds.
@Suite("Scratch sweeper")
struct ScratchSweeperTests {
    /// A pod directory under a fresh temporary root, with a scratch directory holding a file.
    func scratch(_ name: String, in root: URL) throws -> PodFiles {
        let files = PodFiles(LocalPath(root.appendingPathComponent(name, isDirectory: true)))
        try FileIO.makeDirectory(files.layer.appendingPathComponent("upper"))
        try FileIO.write(Data("x".utf8), to: files.layer.appendingPathComponent("upper/file"))
        return files
    }

    func temporaryRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sweeper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    @Test func theUsualTreeAndOneWithLeftoversAreRemovedEntirely() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        func usualTree(_ name: String) throws -> PodFiles {
            let files = PodFiles(LocalPath(root.appendingPathComponent(name, isDirectory: true)))
            for directory in [
                files.layer.appendingPathComponent("upper"), files.layer.appendingPathComponent("work/work"),
                files.merged, files.tmp, files.status,
            ] {
                try FileIO.makeDirectory(directory)
            }
            for file in [
                files.directRequest, files.supervisorLog, files.sandboxPGID, files.sandboxScript, files.statusExit,
            ] {
                try FileIO.write(Data("x".utf8), to: file)
            }
            return files
        }
        let usual = try usualTree("usual")
        let leftovers = try usualTree("leftovers")
        try FileIO.write(Data("step".utf8), to: leftovers.layer.appendingPathComponent("upper/etc-file"))
        try FileIO.makeDirectory(leftovers.tmp.appendingPathComponent("deep/er"))
        try FileIO.write(Data("tmp".utf8), to: leftovers.tmp.appendingPathComponent("deep/er/f"))
        try FileIO.makeDirectory(leftovers.outputs)
        try FileIO.write(Data("v".utf8), to: leftovers.output(0))
        try FileIO.write(Data("unknown".utf8), to: leftovers.scratch.appendingPathComponent("something-new"))
        for files in [usual, leftovers] {
            ScratchSpace.remove(files)
            #expect(!FileIO.exists(files.scratch), "\(files.scratch.path) is still there")
        }
        ScratchSpace.remove(usual)  // already gone: nothing to do, no error
    }

    @Test func drainRemovesEverythingQueued() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let sweeper = ScratchSweeper()
        let pods = try (0..<20).map { try scratch("pod-\($0)", in: root) }
        pods.forEach { sweeper.enqueue($0) }
        sweeper.drain()
        #expect(sweeper.queued == 0)
        #expect(pods.allSatisfy { !FileIO.exists($0.scratch) })
    }

    @Test func aLongQueueIsRemovedByWhoeverQueues() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let sweeper = ScratchSweeper(limit: 3, maxWait: .seconds(3600))
        let pods = try (0..<4).map { try scratch("pod-\($0)", in: root) }
        pods.forEach { sweeper.enqueue($0) }  // the fourth goes past the limit: all four go at once
        #expect(sweeper.queued == 0)
        #expect(pods.allSatisfy { !FileIO.exists($0.scratch) })
    }

    @Test func staleEntriesAreRemovedWhenIdle() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let sweeper = ScratchSweeper(maxWait: .zero)
        let pods = try (0..<5).map { try scratch("pod-\($0)", in: root) }
        pods.forEach { sweeper.enqueue($0) }
        usleep(1000)
        sweeper.sweepStale()
        #expect(sweeper.queued == 0)
        // Removed on this thread, but for the one the sweeper thread may be removing right now.
        #expect(pods.filter { FileIO.exists($0.scratch) }.count <= 1)
        sweeper.drain()
        #expect(pods.allSatisfy { !FileIO.exists($0.scratch) })
    }

    @Test("a cancelled entry's scratch goes at once, and the new scratch made after it is not removed")
    func aCancelledEntryIsRemovedAtOnce() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let sweeper = ScratchSweeper(maxWait: .seconds(3600))
        // Many entries ahead keep the sweeper busy while the last one is cancelled.
        let ahead = try (0..<200).map { try scratch("pod-\($0)", in: root) }
        let restarted = try scratch("restarted", in: root)
        ahead.forEach { sweeper.enqueue($0) }
        sweeper.enqueue(restarted)
        sweeper.cancel(restarted)
        // The old scratch must not be there when the pod starts again: it would be taken for the new pod's.
        #expect(!FileIO.exists(restarted.scratch), "the finished pod's scratch went before the new start")
        try FileIO.makeDirectory(restarted.scratch)
        sweeper.drain()
        #expect(ahead.allSatisfy { !FileIO.exists($0.scratch) })
        #expect(FileIO.exists(restarted.scratch), "a pod started again keeps its new scratch directory")
        ScratchSpace.remove(restarted)
    }

    @Test func theSweeperThreadRemovesWithoutHelp() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let sweeper = ScratchSweeper(maxWait: .seconds(3600))
        let pod = try scratch("pod", in: root)
        sweeper.enqueue(pod)
        // At idle priority the thread runs when a core is free; the test machine may be busy, so allow time.
        let deadline = Date().addingTimeInterval(30)
        while FileIO.exists(pod.scratch) && Date() < deadline { usleep(10_000) }
        #expect(!FileIO.exists(pod.scratch))
        #expect(sweeper.queued == 0)
    }
}
