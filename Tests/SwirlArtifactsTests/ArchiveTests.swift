import Foundation
import Testing

@testable import SwirlArtifacts

@Suite("Archives")
struct ArchiveTests {
    /// Entries of a tgz as `tar -tzf` lists them.
    func entries(_ archive: URL) throws -> [String] {
        try HostTool.run("tar", ["-tzf", archive.path]).split(separator: "\n").map(String.init).sorted()
    }

    @Test("a file is archived under its base name and extracts AT the destination path")
    func file() throws {
        let scratch = try Scratch()
        let source = try scratch.write("src/report.txt", "42\n")
        try Archive.tarGzip(path: source, to: scratch.path("a/report.tgz"))
        #expect(try entries(scratch.path("a/report.tgz")) == ["report.txt"])
        #expect(Archive.isTarGzip(scratch.path("a/report.tgz")))
        #expect(!Archive.isTarGzip(source))
        try Archive.extract(tgz: scratch.path("a/report.tgz"), to: scratch.path("in/renamed.txt"))
        #expect(try scratch.read("in/renamed.txt") == "42\n")
        #expect(try scratch.list("in") == ["renamed.txt"], "scratch directories were left behind")
    }

    @Test("a nested directory is archived under its base name and becomes the destination directory")
    func directory() throws {
        let scratch = try Scratch()
        try scratch.write("src/out/a.txt", "a")
        try scratch.write("src/out/sub/deeper/b.txt", "b")
        try Archive.tarGzip(path: scratch.path("src/out"), to: scratch.path("out.tgz"))
        #expect(try entries(scratch.path("out.tgz")).allSatisfy { $0.hasPrefix("out/") })
        try Archive.extract(tgz: scratch.path("out.tgz"), to: scratch.path("dest/data"))
        #expect(try scratch.read("dest/data/a.txt") == "a")
        #expect(try scratch.read("dest/data/sub/deeper/b.txt") == "b")
        #expect(try scratch.list("dest") == ["data"])
    }

    @Test("an archive with several top-level entries extracts INTO the destination directory")
    func severalEntries() throws {
        let scratch = try Scratch()
        try scratch.write("src/x.txt", "x")
        try scratch.write("src/y/z.txt", "z")
        try HostTool.run("tar", ["-czf", scratch.path("multi.tgz").path, "-C", scratch.path("src").path, "x.txt", "y"])
        try Archive.extract(tgz: scratch.path("multi.tgz"), to: scratch.path("dest"))
        #expect(try scratch.list("dest") == ["x.txt", "y"])
        #expect(try scratch.read("dest/y/z.txt") == "z")
    }

    @Test("extracting replaces an existing destination")
    func replaces() throws {
        let scratch = try Scratch()
        try Archive.tarGzip(path: try scratch.write("src/f", "new"), to: scratch.path("f.tgz"))
        try scratch.write("dest/old/stale", "old")
        try Archive.extract(tgz: scratch.path("f.tgz"), to: scratch.path("dest/old"))
        #expect(try scratch.read("dest/old") == "new")
    }

    @Test("zip round-trips a file and a nested directory with the same single-entry rule")
    func zip() throws {
        let scratch = try Scratch()
        try scratch.write("src/d/a.txt", "a")
        try scratch.write("src/d/sub/b.txt", "b")
        try Archive.zip(path: scratch.path("src/d"), to: scratch.path("d.zip"))
        #expect(Archive.isZip(scratch.path("d.zip")))
        try Archive.extract(zip: scratch.path("d.zip"), to: scratch.path("out/dir"))
        #expect(try scratch.read("out/dir/a.txt") == "a")
        #expect(try scratch.read("out/dir/sub/b.txt") == "b")
        try Archive.zip(path: scratch.path("src/d/a.txt"), to: scratch.path("a.zip"))
        try Archive.extract(zip: scratch.path("a.zip"), to: scratch.path("out/file"))
        #expect(try scratch.read("out/file") == "a")
    }

    @Test("archiving a missing path fails with no such file or directory")
    func missing() throws {
        let scratch = try Scratch()
        #expect(throws: ArtifactError.noSuchFile(scratch.path("nope").path)) {
            try Archive.tarGzip(path: scratch.path("nope"), to: scratch.path("x.tgz"))
        }
    }

    @Test("a tgz stored in the repository round-trips to a file in the step's view")
    func repositoryRoundTrip() throws {
        let scratch = try Scratch()
        let repository = LocalArtifactRepository(root: scratch.path("repo"))
        try Archive.tarGzip(path: try scratch.write("step/out.txt", "out"), to: scratch.path("staging/a.tgz"))
        try repository.put(key: "wf/pod/a.tgz", from: scratch.path("staging/a.tgz"))
        try repository.get(key: "wf/pod/a.tgz", to: scratch.path("dl/a.tgz"))
        try Archive.extract(tgz: scratch.path("dl/a.tgz"), to: scratch.path("view/in.txt"))
        #expect(try scratch.read("view/in.txt") == "out")
    }
}
