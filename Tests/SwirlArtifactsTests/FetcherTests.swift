import Foundation
import Testing

@testable import SwirlArtifacts

@Suite("Fetchers")
struct FetcherTests {
    @Test("raw writes its text as a file, replacing what was there")
    func raw() throws {
        let scratch = try Scratch()
        try scratch.write("a/raw.txt", "old")
        try ArtifactFetcher.raw("hello\nworld", to: scratch.path("a/raw.txt"))
        #expect(try scratch.read("a/raw.txt") == "hello\nworld")
    }

    @Test("http downloads a file:// URL with curl; a missing file fails")
    func http() throws {
        let scratch = try Scratch()
        let source = try scratch.write("served.txt", "served")
        try ArtifactFetcher.http(url: source.absoluteString, to: scratch.path("dl/x"))
        #expect(try scratch.read("dl/x") == "served")
        #expect(throws: ArtifactError.self) {
            try ArtifactFetcher.http(url: scratch.path("missing").absoluteString, to: scratch.path("dl/y"))
        }
        #expect(!scratch.exists("dl/y"))
    }

    @Test("git clones a local repository and checks out a revision")
    func git() throws {
        let scratch = try Scratch()
        let origin = scratch.path("origin")
        try scratch.write("origin/f.txt", "v1")
        let env = [
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e",
        ]
        try HostTool.run("git", ["init", "-q", "-b", "main", origin.path])
        try HostTool.run("git", ["-C", origin.path, "add", "."], environment: env)
        try HostTool.run("git", ["-C", origin.path, "commit", "-qm", "one"], environment: env)
        try HostTool.run("git", ["-C", origin.path, "tag", "v1"], environment: env)
        try scratch.write("origin/f.txt", "v2")
        try HostTool.run("git", ["-C", origin.path, "commit", "-qam", "two"], environment: env)
        try ArtifactFetcher.git(repo: "file://" + origin.path, revision: nil, depth: 1, to: scratch.path("head"))
        #expect(try scratch.read("head/f.txt") == "v2")
        try ArtifactFetcher.git(repo: "file://" + origin.path, revision: "v1", depth: 1, to: scratch.path("tagged"))
        #expect(try scratch.read("tagged/f.txt") == "v1")
    }
}
