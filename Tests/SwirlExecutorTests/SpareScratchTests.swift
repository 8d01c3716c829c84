import Foundation
import Testing

@testable import SwirlExecutor

#if canImport(Glibc)
    import Glibc
#endif

/// Spare scratch skeletons: made ahead of time, renamed into place, removed with their process.
@Suite("Spare scratch")
struct SpareScratchTests {
    func temporaryRoot() throws -> LocalPath {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("spares-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return LocalPath(root)
    }

    func entries(_ root: LocalPath) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
    }

    @Test func aSpareIsTheSkeletonADirectPodNeeds() throws {
        let root = try temporaryRoot()
        defer { FileIO.remove(root) }
        let spares = try #require(SpareScratch(scratchRoot: root, podsRoot: nil, target: 3))
        spares.refill()
        #expect(spares.readyCount.scratch == 3)
        #expect(entries(root).count == 3 && entries(root).allSatisfy { $0.hasPrefix(".spare-\(getpid())-") })
        let scratch = root.appendingPathComponent("pod-scratch")
        #expect(spares.takeScratch(as: scratch))
        #expect(spares.readyCount.scratch == 2)
        let files = PodFiles(scratchOnly: scratch)
        for directory in [
            files.layer.appendingPathComponent("upper"), files.layer.appendingPathComponent("work"), files.merged,
            files.tmp, files.status,
        ] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory))
            #expect(isDirectory.boolValue, "\(directory.path)")
        }
        #expect(FileIO.exists(files.directLaunch))
        var info = stat()
        #expect(stat(files.tmp.path, &info) == 0 && info.st_mode & 0o7777 == 0o1777, "the step's /tmp is 1777")
        spares.refill()
        #expect(spares.readyCount.scratch == 3, "topped up to the target")
        spares.removeAll()
        #expect(entries(root) == ["pod-scratch"])
    }

    @Test func sparePodDirectoriesReplaceNothingButAnEmptyDirectory() throws {
        let scratchRoot = try temporaryRoot()
        let pods = try temporaryRoot()
        defer {
            FileIO.remove(scratchRoot)
            FileIO.remove(pods)
        }
        let spares = try #require(SpareScratch(scratchRoot: scratchRoot, podsRoot: pods, target: 2))
        spares.refill()
        #expect(spares.readyCount == (2, 2))
        #expect(spares.takePodDirectory(as: pods.appendingPathComponent("new-pod")))
        try FileIO.makeDirectory(pods.appendingPathComponent("empty-pod"))
        #expect(spares.takePodDirectory(as: pods.appendingPathComponent("empty-pod")))
        spares.refill()
        let started = pods.appendingPathComponent("started-pod")
        try FileIO.makeDirectory(started)
        try FileIO.write(Data("{}".utf8), to: started.appendingPathComponent("request.json"))
        #expect(!spares.takePodDirectory(as: started), "a pod directory with a request stays as it is")
        #expect(FileIO.exists(started.appendingPathComponent("request.json")))
        spares.removeAll()
        #expect(entries(pods) == ["empty-pod", "new-pod", "started-pod"])
        #expect(entries(scratchRoot).isEmpty)
    }

    @Test func aTakeOntoALeftoverDirectoryFailsAndDropsTheSpare() throws {
        let root = try temporaryRoot()
        defer { FileIO.remove(root) }
        let spares = try #require(SpareScratch(scratchRoot: root, podsRoot: nil, target: 1))
        spares.refill()
        let scratch = root.appendingPathComponent("pod-scratch")
        try FileIO.makeDirectory(scratch)
        try FileIO.write(Data("x".utf8), to: scratch.appendingPathComponent("left-by-an-old-home"))
        #expect(!spares.takeScratch(as: scratch))
        #expect(entries(root) == ["pod-scratch"], "the spare is gone, the leftover untouched")
        #expect(FileIO.exists(scratch.appendingPathComponent("left-by-an-old-home")))
        #expect(!spares.takeScratch(as: scratch), "none ready")
    }

    @Test func orphansOfDeadProcessesAreRemovedAndLiveOnesKept() throws {
        let root = try temporaryRoot()
        defer { FileIO.remove(root) }
        let spares = try #require(SpareScratch(scratchRoot: root, podsRoot: nil, target: 1))
        spares.refill()
        // A pid that is not running: a reaped child's.
        let child = try ProcessLauncher.spawn(
            ["/bin/true"], environment: [:], stdout: .devNull, stderr: .devNull,
            grouping: .inherit)
        _ = ProcessLauncher.wait(child)
        let orphan = root.appendingPathComponent(".spare-\(child)-1")
        try FileIO.makeDirectory(orphan.appendingPathComponent("layer/upper"))
        SpareScratch.removeOrphans(in: root)
        #expect(!FileIO.exists(orphan))
        #expect(spares.readyCount.scratch == 1 && entries(root).count == 1, "this process's spare stays")
        spares.removeAll()
    }
}
