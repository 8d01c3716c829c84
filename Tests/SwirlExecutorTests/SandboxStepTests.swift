import Foundation
import SwirlEngine
import Testing

@testable import SwirlExecutor

@Suite("Sandbox steps")
struct SandboxStepTests {
    @Test("the exit code propagates")
    func exitCode() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(try pod(argv: sh("exit 3")))
        #expect(result.exitCode == 3)
        #expect(result.error == nil)
        #expect(result.startedAt != nil && result.finishedAt != nil)
    }

    @Test("a step killed by a signal reports 128 + the signal, as a shell does")
    func signalled() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(try pod(argv: sh("kill -KILL $$")))
        #expect(result.exitCode == 137, "\(result)")
    }

    @Test("stdout is captured with one trailing newline trimmed; stderr goes to its own log")
    func stdout() async throws {
        let fixture = try SandboxFixture()
        let request = try pod(argv: sh("printf 'a\\nb\\n\\n'; echo oops >&2"))
        let result = try await fixture.run(request)
        #expect(result.stdout == "a\nb\n")
        let stderr = try String(contentsOf: fixture.layout.stderrLog(request.podName), encoding: .utf8)
        #expect(stderr == "oops\n")
    }

    @Test(
        "a script template's source runs from /argo/staging/script",
        arguments: [
            (["sh"], "echo from sh; exit 4", "from sh", Int32(4)),
            (
                ["python3"], "import sys\nprint('from python', sys.argv[0])", "from python /argo/staging/script",
                Int32(0)
            ),
        ])
    func script(command: [String], source: String, expected: String, code: Int32) async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(try pod(argv: command, script: source))
        #expect(result.exitCode == code, "\(result)")
        #expect(result.stdout == expected)
    }

    @Test("an empty argv fails: the image's entrypoint is unknown")
    func emptyArgv() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(try pod(argv: []))
        #expect(result.exitCode == nil)
        #expect(result.error?.contains("entrypoint") == true)
    }

    @Test("a missing bwrap gives an Error result with the install hint")
    func bwrapMissing() throws {
        let fixture = try SandboxFixture()
        let request = try pod(argv: ["true"])
        let files = try #require(try fixture.executor.writeRequest(request))
        var runner = PodRunner(layout: fixture.layout, files: files)
        runner.findTool = { name, path in name == "bwrap" ? nil : ProcessLauncher.which(name, path: path) }
        let result = runner.run(request)
        #expect(result.exitCode == nil)
        #expect(result.error?.contains("install it with: apt-get install -y bubblewrap") == true)
    }

    @Test("a command that does not exist fails the step")
    func missingCommand() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(try pod(argv: ["/no/such/program"]))
        #expect(result.exitCode != 0 && result.exitCode != nil, "\(result)")
    }

    @Test("a step running past its deadline is killed with Argo's message")
    func deadline() async throws {
        let fixture = try SandboxFixture()
        let started = Date()
        let result = try await fixture.run(try pod(argv: sh("echo started; sleep 600"), deadline: 1))
        #expect(result.exitCode == nil)
        #expect(result.error == "Pod was active on the node longer than the specified deadline")
        #expect(result.stdout == "started")
        // Far below the step's 600 s (the bound is loose: the whole suite runs in parallel on 2 cores).
        #expect(Date().timeIntervalSince(started) < 120)
    }

    @Test("a step that ignores SIGTERM is killed after the grace period, background processes too")
    func deadlineIgnoringTerm() async throws {
        let fixture = try SandboxFixture()
        let tag = UUID().uuidString
        let started = Date()
        let result = try await fixture.run(
            try pod(
                argv: sh("trap '' TERM; (sleep 300; echo \(tag)) & sleep 300"), deadline: 0.5))
        #expect(result.error == PodRunner.deadlineMessage)
        #expect(Date().timeIntervalSince(started) < 120)
        #expect(processes(containing: tag).isEmpty, "the step's processes survived")
    }
}

/// Pids whose command line contains `text`.
func processes(containing text: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { entry in
        guard Int(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else {
            return false
        }
        return String(decoding: data, as: UTF8.self).contains(text)
    }
}
