import Foundation
import Testing

@testable import SwirlArtifacts

@Suite("Local artifact repository")
struct LocalRepositoryTests {
    @Test("a file round-trips through put and get, replacing what was at the destination")
    func fileRoundTrip() throws {
        let scratch = try Scratch()
        let repository = LocalArtifactRepository(root: scratch.path("repo"))
        let source = try scratch.write("src/hello.txt", "hello\n")
        try repository.put(key: "wf/pod/hello.txt", from: source)
        #expect(try repository.exists(key: "wf/pod/hello.txt"))
        #expect(try scratch.read("repo/wf/pod/hello.txt") == "hello\n")
        try scratch.write("dst/out", "old")
        try repository.get(key: "wf/pod/hello.txt", to: scratch.path("dst/out"))
        #expect(try scratch.read("dst/out") == "hello\n")
    }

    @Test("a nested directory is stored as it is, under a plain key or a key ending in /")
    func directoryRoundTrip() throws {
        let scratch = try Scratch()
        let repository = LocalArtifactRepository(root: scratch.path("repo"))
        try scratch.write("src/d/a.txt", "a")
        try scratch.write("src/d/sub/deeper/b.txt", "b")
        for key in ["wf/pod/dir", "wf/pod/dir2/"] {
            try repository.put(key: key, from: scratch.path("src/d"))
            try repository.get(key: key, to: scratch.path("out/\(key)"))
            #expect(try scratch.read("out/\(key)/a.txt") == "a")
            #expect(try scratch.read("out/\(key)/sub/deeper/b.txt") == "b")
        }
        #expect(throws: ArtifactError.self) {
            try repository.put(key: "wf/file-as-dir/", from: scratch.path("src/d/a.txt"))
        }
    }

    @Test("put replaces an object, a directory by a file too")
    func replace() throws {
        let scratch = try Scratch()
        let repository = LocalArtifactRepository(root: scratch.path("repo"))
        try scratch.write("src/d/a.txt", "a")
        try repository.put(key: "k", from: scratch.path("src/d"))
        try repository.put(key: "k", from: try scratch.write("src/f", "file"))
        #expect(try scratch.read("repo/k") == "file")
        #expect(try scratch.list("repo").filter { $0.hasPrefix(".") }.isEmpty, "staging copies were left behind")
    }

    @Test("a missing key is notFound; a missing source is noSuchFile")
    func missing() throws {
        let scratch = try Scratch()
        let repository = LocalArtifactRepository(root: scratch.path("repo"))
        #expect(try !repository.exists(key: "nope"))
        #expect(throws: ArtifactError.notFound("artifact key \"nope\"")) {
            try repository.get(key: "nope", to: scratch.path("x"))
        }
        #expect(throws: ArtifactError.noSuchFile(scratch.path("absent").path)) {
            try repository.put(key: "k", from: scratch.path("absent"))
        }
    }

    @Test(
        "keys that could leave the root are rejected",
        arguments: [
            "", "/etc/passwd", "../escape", "a/../../b", "a//b", "./a", "a/./b", "a/..", "a\0b",
        ])
    func invalidKeys(key: String) throws {
        let scratch = try Scratch()
        let repository = LocalArtifactRepository(root: scratch.path("repo"))
        let source = try scratch.write("f", "x")
        #expect(throws: ArtifactError.self) { try repository.put(key: key, from: source) }
        #expect(throws: ArtifactError.self) { try repository.get(key: key, to: scratch.path("out")) }
        #expect(throws: ArtifactError.self) { try ArtifactKey(key) }
    }

    @Test("keys are relative paths; a trailing / marks a directory")
    func keyParsing() throws {
        let key = try ArtifactKey("wf/pod/out.tgz")
        #expect(key.components == ["wf", "pod", "out.tgz"])
        #expect(!key.isDirectory)
        #expect(try ArtifactKey("wf/pod/").isDirectory)
        #expect(try ArtifactKey("wf/pod/").components == ["wf", "pod"])
    }

    @Test("delete(prefix:) works like an S3 prefix")
    func deletePrefix() throws {
        let scratch = try Scratch()
        let repository = LocalArtifactRepository(root: scratch.path("repo"))
        let source = try scratch.write("f", "x")
        for key in ["wf1/pod-1/a.tgz", "wf1/pod-2/a.tgz", "wf1/other/a.tgz", "wf2/pod-1/a.tgz"] {
            try repository.put(key: key, from: source)
        }
        try repository.delete(prefix: "wf1/pod-")
        #expect(try !repository.exists(key: "wf1/pod-1/a.tgz"))
        #expect(try !repository.exists(key: "wf1/pod-2/a.tgz"))
        #expect(try repository.exists(key: "wf1/other/a.tgz"))
        try repository.delete(prefix: "wf1/")
        #expect(try !repository.exists(key: "wf1/other/a.tgz"))
        #expect(try repository.exists(key: "wf2/pod-1/a.tgz"))
        try repository.delete(prefix: "")
        #expect(try !repository.exists(key: "wf2/pod-1/a.tgz"))
        #expect(throws: ArtifactError.self) { try repository.delete(prefix: "../") }
    }
}
