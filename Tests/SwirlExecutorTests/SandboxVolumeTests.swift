import Foundation
import SwirlEngine
import Testing

@testable import SwirlExecutor

@Suite("Sandbox volumes and outputs")
struct SandboxVolumeTests {
    let workdir = emptyDir("workdir")

    @Test("a workflow emptyDir is shared by the workflow's pods and not by another workflow")
    func workflowEmptyDir() async throws {
        let fixture = try SandboxFixture()
        let mount = #"{"name": "workdir", "mountPath": "/mnt/work"}"#
        let write = try await fixture.run(
            try pod(
                workflowUID: "uid-a", argv: sh("echo shared > /mnt/work/data"), mounts: [mount],
                workflowVolumes: [workdir]))
        #expect(write.exitCode == 0, "\(write)")
        let read = try await fixture.run(
            try pod(
                workflowUID: "uid-a", argv: sh("cat /mnt/work/data"), mounts: [mount], workflowVolumes: [workdir]))
        #expect(read.stdout == "shared", "\(read)")
        let other = try await fixture.run(
            try pod(
                workflowUID: "uid-b", argv: sh("test ! -e /mnt/work/data"), mounts: [mount], workflowVolumes: [workdir])
        )
        #expect(other.exitCode == 0, "another workflow saw the volume: \(other)")
        let host = fixture.layout.workflowVolume(workflowUID: "uid-a", name: "workdir").appendingPathComponent("data")
        #expect(try String(contentsOf: host, encoding: .utf8) == "shared\n")
    }

    @Test("a template emptyDir belongs to one pod")
    func templateEmptyDir() async throws {
        let fixture = try SandboxFixture()
        let mount = #"{"name": "scratch", "mountPath": "/scratch"}"#
        let first = try await fixture.run(
            try pod(
                argv: sh("echo x > /scratch/f"), mounts: [mount], templateVolumes: [emptyDir("scratch")]))
        #expect(first.exitCode == 0, "\(first)")
        let second = try await fixture.run(
            try pod(
                argv: sh("test ! -e /scratch/f"), mounts: [mount], templateVolumes: [emptyDir("scratch")]))
        #expect(second.exitCode == 0)
    }

    @Test("subPath binds a sub-directory; readOnly mounts refuse writes")
    func subPathAndReadOnly() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(
            try pod(
                argv: sh("echo in-sub > /sub/f && ! touch /ro/g 2>/dev/null && cat /ro/b/f"),
                mounts: [
                    #"{"name": "workdir", "mountPath": "/sub", "subPath": "a/b"}"#,
                    #"{"name": "workdir", "mountPath": "/ro", "readOnly": true, "subPath": "a"}"#,
                ],
                workflowVolumes: [workdir]))
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "in-sub")
    }

    @Test("hostPath volumes bind the host directory")
    func hostPath() async throws {
        let fixture = try SandboxFixture()
        let dir = fixture.home.appendingPathComponent("host-dir").path
        let result = try await fixture.run(
            try pod(
                argv: sh("echo via-host > /h/f"), mounts: [#"{"name": "h", "mountPath": "/h"}"#],
                workflowVolumes: [hostPathVolume("h", dir)]))
        #expect(result.exitCode == 0, "\(result)")
        #expect(try String(contentsOfFile: dir + "/f", encoding: .utf8) == "via-host\n")
    }

    @Test("an unknown volume name fails the pod with an Error naming it")
    func missingVolume() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(
            try pod(
                argv: ["true"], mounts: [#"{"name": "nope", "mountPath": "/nope"}"#], workflowVolumes: [workdir]))
        #expect(result.exitCode == nil)
        #expect(result.error?.contains("\"nope\"") == true, "\(result)")
    }

    @Test("output parameters are read from /tmp, a volume and the root, in the step's view")
    func outputParameters() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(
            try pod(
                argv: sh(
                    "echo -n from-tmp > /tmp/out.txt; echo from-volume > /mnt/work/v.txt; echo root > /etc/o.txt; mkdir /tmp/d"
                ),
                mounts: [#"{"name": "workdir", "mountPath": "/mnt/work"}"#], workflowVolumes: [workdir],
                outputs: [
                    "tmp": "/tmp/out.txt", "vol": "/mnt/work/v.txt", "root": "/etc/o.txt", "absent": "/tmp/none",
                    "dir": "/tmp/d",
                ]))
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.outputParameters == ["tmp": "from-tmp", "vol": "from-volume\n", "root": "root\n"])
        #expect(result.missingOutputs["absent"]?.contains("/tmp/none") == true)
        #expect(result.missingOutputs["dir"]?.contains("not a regular file") == true)
    }
}
