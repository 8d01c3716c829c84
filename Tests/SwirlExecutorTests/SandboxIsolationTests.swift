import Foundation
import SwirlEngine
import Testing

@testable import SwirlExecutor

@Suite("Sandbox isolation")
struct SandboxIsolationTests {
    @Test("writes to /etc, /out and /tmp reach neither the host nor the next step")
    func writesAreEphemeral() async throws {
        let fixture = try SandboxFixture()
        let tag = UUID().uuidString
        let first = try await fixture.run(
            try pod(
                argv: sh(
                    "echo 1 > /etc/swirl-\(tag) && mkdir -p /out-\(tag) && echo 2 > /out-\(tag)/y && echo 3 > /tmp/z-\(tag) && echo ok"
                )))
        #expect(first.exitCode == 0, "\(first)")
        #expect(first.stdout == "ok")
        for path in ["/etc/swirl-\(tag)", "/out-\(tag)", "/tmp/z-\(tag)"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) leaked to the host")
        }
        let second = try await fixture.run(
            try pod(
                argv: sh(
                    "test ! -e /etc/swirl-\(tag) && test ! -e /out-\(tag) && test ! -e /tmp/z-\(tag)")))
        #expect(second.exitCode == 0, "the second step saw the first step's files: \(second)")
    }

    @Test("the layer is removed after the result is written")
    func layerCleanedUp() async throws {
        let fixture = try SandboxFixture()
        let request = try pod(argv: sh("dd if=/dev/zero of=/big bs=1024 count=64 2>/dev/null"))
        let result = try await fixture.run(request)
        #expect(result.exitCode == 0)
        let files = PodFiles(fixture.layout.podDirectory(request.podName))
        #expect(!FileManager.default.fileExists(atPath: files.layer.path))
        #expect(!FileManager.default.fileExists(atPath: files.merged.path))
        #expect(FileManager.default.fileExists(atPath: fixture.layout.doneMarker(request.podName).path))
        #expect(FileManager.default.fileExists(atPath: files.result.path))
    }

    @Test("the environment is clean: PATH, HOME, HOSTNAME and the request's variables")
    func environment() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(
            try pod(
                "env-pod", argv: sh("echo \"$HOME|$HOSTNAME|$(hostname)|$GREETING|${SWIRL_TEST_SECRET:-unset}|$PATH\""),
                env: ["GREETING": "hi there"]))
        let fields = (result.stdout ?? "").split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == 6, "\(result)")
        #expect(Array(fields.prefix(5)) == ["/root", "env-pod", "env-pod", "hi there", "unset"])
        #expect(fields.last?.hasPrefix(SandboxEnvironment.basePath) == true)
    }

    @Test("the working directory is created and used")
    func workingDirectory() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(try pod(argv: ["pwd"], workingDir: "/work-\(UUID().uuidString)/src"))
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout?.hasSuffix("/src") == true)
    }

    @Test("the step's processes are in their own pid namespace")
    func pidNamespace() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(try pod(argv: sh("echo $$")))
        #expect(Int(result.stdout ?? "") ?? 99 <= 3, "\(result)")
    }
}
