import Foundation
import SwirlArtifacts
import SwirlEngine
import Testing

@testable import SwirlExecutor

@Suite("Sandbox artifacts")
struct SandboxArtifactTests {
    /// The fixture's repository, with one tgz object made from a file `hello.txt`.
    func seededRepository(_ fixture: SandboxFixture) throws -> LocalArtifactRepository {
        let repository = LocalArtifactRepository(root: fixture.layout.artifactsDirectory)
        let seed = fixture.home.appendingPathComponent("seed", isDirectory: true)
        try FileManager.default.createDirectory(
            at: seed.appendingPathComponent("dir/sub"), withIntermediateDirectories: true)
        try Data("from-repo\n".utf8).write(to: seed.appendingPathComponent("hello.txt"))
        try Data("deep\n".utf8).write(to: seed.appendingPathComponent("dir/sub/deep.txt"))
        try Archive.tarGzip(
            path: seed.appendingPathComponent("hello.txt"), to: seed.appendingPathComponent("hello.tgz"))
        try repository.put(key: "seed/hello.tgz", from: seed.appendingPathComponent("hello.tgz"))
        try repository.put(key: "seed/dir/", from: seed.appendingPathComponent("dir"))
        return repository
    }

    @Test("inputs from the repository and raw appear in the step's view only; outputs are saved as tgz and as-is")
    func roundTrip() async throws {
        let fixture = try SandboxFixture()
        let repository = try seededRepository(fixture)
        let hostConfig = "/etc/swirl-artifact-test-\(UUID().uuidString).txt"
        var request = try pod(
            argv: sh(
                """
                cat /tmp/in.txt; cat \(hostConfig); stat -c %a \(hostConfig); cat /data/deep.txt
                mkdir -p /tmp/out/sub && echo a > /tmp/out/a.txt && echo b > /tmp/out/sub/b.txt
                echo root > /out.txt; echo to-stderr >&2
                """))
        request.inputArtifacts = [
            ArtifactPlacement(name: "repo", path: "/tmp/in.txt", source: .repository(key: "seed/hello.tgz")),
            ArtifactPlacement(name: "config", path: hostConfig, source: .raw("raw-text\n"), mode: 0o600),
            ArtifactPlacement(name: "tree", path: "/data", source: .repository(key: "seed/dir/"), subPath: "sub"),
            ArtifactPlacement(name: "maybe", path: "/tmp/maybe", source: .repository(key: "seed/none"), optional: true),
        ]
        request.outputArtifacts = [
            ArtifactCapture(name: "dir", path: "/tmp/out", key: "wf/pod/dir.tgz"),
            ArtifactCapture(name: "file", path: "/out.txt", key: "wf/pod/out.txt", archive: .none),
            ArtifactCapture(name: "absent", path: "/tmp/nope", key: "wf/pod/absent.tgz", optional: true),
        ]
        request.archiveLogsKey = "wf/pod/main.log"
        let result = try await fixture.run(request)

        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "from-repo\nraw-text\n600\ndeep")
        #expect(result.artifactErrors.isEmpty, "\(result.artifactErrors)")
        #expect(
            result.savedArtifacts == [
                "dir": "wf/pod/dir.tgz", "file": "wf/pod/out.txt", "main-logs": "wf/pod/main.log",
            ])
        #expect(!FileManager.default.fileExists(atPath: hostConfig), "the raw artifact reached the host")

        let root = fixture.layout.artifactsDirectory
        let extracted = fixture.home.appendingPathComponent("check/out")
        try Archive.extract(tgz: root.appendingPathComponent("wf/pod/dir.tgz"), to: extracted)
        #expect(try String(contentsOf: extracted.appendingPathComponent("a.txt"), encoding: .utf8) == "a\n")
        #expect(try String(contentsOf: extracted.appendingPathComponent("sub/b.txt"), encoding: .utf8) == "b\n")
        #expect(try String(contentsOf: root.appendingPathComponent("wf/pod/out.txt"), encoding: .utf8) == "root\n")
        #expect(try !repository.exists(key: "wf/pod/absent.tgz"))
        let log = try String(contentsOf: root.appendingPathComponent("wf/pod/main.log"), encoding: .utf8)
        #expect(log.hasPrefix("from-repo\n") && log.hasSuffix("to-stderr\n"), "\(log)")
        let podDirectory = fixture.layout.podDirectory(request.podName)
        #expect(
            !FileManager.default.fileExists(atPath: podDirectory.appendingPathComponent("artifacts").path),
            "staged artifacts were left in the pod directory")
    }

    @Test("a missing non-optional output is an artifact error; the step's exit code stands")
    func missingOutput() async throws {
        let fixture = try SandboxFixture()
        var request = try pod(argv: sh("echo ok > /tmp/there"))
        request.outputArtifacts = [
            ArtifactCapture(name: "there", path: "/tmp/there", key: "wf/p/there.tgz"),
            ArtifactCapture(name: "missing", path: "/tmp/missing.txt", key: "wf/p/missing.tgz"),
        ]
        let result = try await fixture.run(request)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.savedArtifacts == ["there": "wf/p/there.tgz"])
        #expect(result.artifactErrors == ["missing": "/tmp/missing.txt: no such file or directory"])
    }

    @Test("outputs are saved from a failed step and read through volumes and input artifacts")
    func outputsFromFailedStepAndVolumes() async throws {
        let fixture = try SandboxFixture()
        _ = try seededRepository(fixture)
        var request = try pod(
            argv: sh("echo v > /mnt/work/v.txt; echo more >> /data/deep.txt; exit 2"),
            mounts: [#"{"name": "workdir", "mountPath": "/mnt/work"}"#], workflowVolumes: [emptyDir("workdir")])
        request.inputArtifacts = [
            ArtifactPlacement(name: "tree", path: "/data", source: .repository(key: "seed/dir/sub/"))
        ]
        request.outputArtifacts = [
            ArtifactCapture(name: "vol", path: "/mnt/work/v.txt", key: "wf/p/v.txt", archive: .none),
            ArtifactCapture(name: "tree", path: "/data", key: "wf/p/tree.zip", archive: .zip),
        ]
        let result = try await fixture.run(request)
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.artifactErrors.isEmpty, "\(result.artifactErrors)")
        let root = fixture.layout.artifactsDirectory
        #expect(try String(contentsOf: root.appendingPathComponent("wf/p/v.txt"), encoding: .utf8) == "v\n")
        let unzipped = fixture.home.appendingPathComponent("check/tree")
        try Archive.extract(zip: root.appendingPathComponent("wf/p/tree.zip"), to: unzipped)
        #expect(try String(contentsOf: unzipped.appendingPathComponent("deep.txt"), encoding: .utf8) == "deep\nmore\n")
    }

    @Test("an input inside a volume is written into the volume, where the next step sharing it sees it")
    func inputIntoVolume() async throws {
        let fixture = try SandboxFixture()
        let mount = #"{"name": "workdir", "mountPath": "/mnt/work"}"#
        var first = try pod(
            workflowUID: "uid-v", argv: sh("cat /mnt/work/in/config.txt"), mounts: [mount],
            workflowVolumes: [emptyDir("workdir")])
        first.inputArtifacts = [ArtifactPlacement(name: "config", path: "/mnt/work/in/config.txt", source: .raw("cfg"))]
        let read = try await fixture.run(first)
        #expect(read.exitCode == 0 && read.stdout == "cfg", "\(read)")
        let second = try await fixture.run(
            try pod(
                workflowUID: "uid-v", argv: sh("cat /mnt/work/in/config.txt"), mounts: [mount],
                workflowVolumes: [emptyDir("workdir")]))
        #expect(second.stdout == "cfg", "\(second)")
    }

    @Test("a non-optional input that cannot be loaded stops the step before it runs")
    func missingInput() async throws {
        let fixture = try SandboxFixture()
        var request = try pod(argv: sh("echo ran"))
        request.inputArtifacts = [
            ArtifactPlacement(name: "in", path: "/tmp/in", source: .repository(key: "no/such.tgz"))
        ]
        request.archiveLogsKey = "wf/p/main.log"
        let result = try await fixture.run(request)
        #expect(result.exitCode == nil)
        #expect(result.stdout == nil)
        #expect(result.error == "failed to load artifact 'in': artifact key \"no/such.tgz\": not found")
        #expect(result.artifactErrors == ["in": "artifact key \"no/such.tgz\": not found"])
        #expect(result.savedArtifacts.isEmpty)
    }

    @Test(
        "artifact paths with '..', or names that are not one path component, are rejected",
        arguments: [
            ("ok", "/a/../etc/passwd"), ("bad/name", "/tmp/x"), ("ok", "/"),
        ])
    func invalidPlacement(name: String, path: String) async throws {
        let fixture = try SandboxFixture()
        var request = try pod(argv: ["true"])
        request.inputArtifacts = [ArtifactPlacement(name: name, path: path, source: .raw("x"))]
        let result = try await fixture.run(request)
        #expect(result.exitCode == nil)
        #expect(result.error?.hasPrefix("failed to load artifact '\(name)'") == true, "\(result)")
    }

    @Test("binds are ordered outer paths first, volumes before artifacts at the same depth")
    func mountOrder() {
        let binding = { (path: String, host: String) in
            VolumeBinding(hostPath: host, mountPath: path, readOnly: false, createDirectory: false)
        }
        let ordered = PodRunner.mountOrder([
            binding("/mnt/work/in.txt", "artifact"), binding("/mnt/work", "volume"), binding("/etc/a", "a"),
            binding("/etc/b", "b"),
        ])
        #expect(ordered.map(\.hostPath) == ["volume", "a", "b", "artifact"])
    }
}
