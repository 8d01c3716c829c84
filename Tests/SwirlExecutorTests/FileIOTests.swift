import Foundation
import Testing

@testable import SwirlExecutor

@Suite("File helpers")
struct FileIOTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("swirl-fileio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    @Test("remove deletes a nested tree, including unreadable directories, and ignores a missing path")
    func removeTree() throws {
        let tree = root.appendingPathComponent("tree")
        let deep = tree.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: deep.appendingPathComponent("file"))
        try Data("y".utf8).write(to: tree.appendingPathComponent("top"))
        chmod(tree.appendingPathComponent("a/b").path, 0o000)  // like overlayfs's work/work
        FileIO.remove(tree)
        #expect(!FileManager.default.fileExists(atPath: tree.path))
        FileIO.remove(tree)  // missing: no error, no crash
        FileIO.remove(root.appendingPathComponent("never/existed"))
    }

    @Test("remove deletes a link to a directory, not the directory it points to")
    func removeDoesNotFollowLinks() throws {
        let target = root.appendingPathComponent("target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: target.appendingPathComponent("keep"))
        let tree = root.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: tree.appendingPathComponent("link"), withDestinationURL: target)
        FileIO.remove(tree)
        #expect(!FileManager.default.fileExists(atPath: tree.path))
        #expect(try String(contentsOf: target.appendingPathComponent("keep"), encoding: .utf8) == "keep")
    }

    @Test("read returns the whole file, a prefix up to the limit, or nil for a missing file")
    func read() throws {
        let file = LocalPath(root.appendingPathComponent("data"))
        let bytes = Data((0..<10_000).map { UInt8($0 % 251) })
        try FileIO.write(bytes, to: file)
        #expect(FileIO.read(file) == bytes)
        #expect(FileIO.read(file, limit: 100) == bytes.prefix(100))
        #expect(try FileIO.readPrefix(of: file, limit: 20_000) == bytes)
        try FileIO.write(Data(), to: file)
        #expect(FileIO.read(file) == Data())
        #expect(FileIO.read(root.appendingPathComponent("missing")) == nil)
        #expect(throws: ExecutorError.self) {
            try FileIO.readPrefix(of: LocalPath(root.appendingPathComponent("missing")), limit: 1)
        }
        try FileIO.write(Data(" 42\n".utf8), to: file)
        #expect(FileIO.readTrimmed(file) == "42")
    }

    @Test("createExclusively writes a new file once and reports an existing one")
    func createExclusively() throws {
        let file = LocalPath(root.appendingPathComponent("request.json"))
        #expect(try FileIO.createExclusively(Data("first".utf8), at: file))
        #expect(try !FileIO.createExclusively(Data("second".utf8), at: file))
        #expect(FileIO.read(file) == Data("first".utf8))
    }
}

@Suite("Local paths")
struct LocalPathTests {
    @Test("joins, splits and converts like a file URL's path")
    func components() {
        let pod = LocalPath("/home/x/pods/").appendingPathComponent("wf-1")
        #expect(pod.path == "/home/x/pods/wf-1")
        #expect(pod.lastPathComponent == "wf-1")
        #expect(pod.deletingLastPathComponent().path == "/home/x/pods")
        #expect(LocalPath("/").appendingPathComponent("tmp").path == "/tmp")
        #expect(LocalPath("/tmp").deletingLastPathComponent().path == "/")
        #expect(pod.url.path == pod.path)
        #expect(LocalPath(URL(fileURLWithPath: "/a b/c%20d", isDirectory: true)).path == "/a b/c%20d")
        // The scratch name hashes the same path string whether the pod directory came as a URL or a path.
        let url = URL(fileURLWithPath: "/home/x/pods/wf-1", isDirectory: true)
        #expect(PodFiles(url).scratch == PodFiles(pod).scratch)
    }
}
