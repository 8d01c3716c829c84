import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Lint via the CLI", .timeLimit(.minutes(1)))
struct LintCLITests {
    @Test func unknownFieldAndTemplateAreReportedWithPositions() throws {
        try withSwirlHome { swirl in
            let path = "Tests/Fixtures/e2e/lint-bad.yaml"  // relative to the package root, the working directory
            let lint = try swirl.run(["lint", path])
            #expect(lint.exitedNormally && lint.status == 1, "\(lint)")
            #expect(
                lint.stdoutLines == [
                    "\(path):11:19: error: spec.templates[0].steps[0][0].template: unknown template 'sayy', did you mean 'say'?",
                    "\(path):15:7: error: spec.templates[1].container.comand: unknown field 'comand', did you mean 'command'?",
                ], "\(lint)")
            // Every line has the FILE:LINE:COL: error: PATH: message shape.
            let shape = #/^[^:]+:\d+:\d+: error: [^:]+: .+$/#
            for line in lint.stdoutLines { #expect(line.wholeMatch(of: shape) != nil, "\(line)") }
        }
    }

    @Test func validFilesPass() throws {
        try withSwirlHome { swirl in
            let lint = try swirl.run([
                "lint", fixture("params.yaml").path, fixture("outputs.yaml").path, fixture("isolation.yaml").path,
                "examples/data-pipeline.yaml",
            ])
            #expect(lint.succeeded, "\(lint)")
        }
    }

    @Test func brokenYAMLIsAnErrorNotACrash() throws {
        try withSwirlHome { swirl in
            let path = "Tests/Fixtures/e2e/lint-broken-yaml.yaml"
            let lint = try swirl.run(["lint", path])
            #expect(lint.exitedNormally, "lint died of a signal: \(lint)")
            #expect(lint.status == 1, "\(lint)")
            #expect(!lint.stdout.contains("Fatal error") && !lint.stderr.contains("Fatal error"), "\(lint)")
            let line = try #require(lint.stdoutLines.first, "\(lint)")
            #expect(line.wholeMatch(of: #/^Tests/Fixtures/e2e/lint-broken-yaml\.yaml:\d+:\d+: error: .*YAML.*$/#) != nil, "\(line)")
            #expect(line.contains("line 10"), "the message should point at the unterminated quote on line 10: \(line)")

            // Submitting it fails the same way, without storing anything.
            let submit = try swirl.run(["submit", path])
            #expect(submit.exitedNormally && submit.status != 0, "\(submit)")
            #expect(!submit.stderr.contains("Fatal error"), "\(submit)")
            #expect(try swirl.run(["list"]).stdoutLines.count == 1)
        }
    }
}

@Suite("Controllers and executors", .timeLimit(.minutes(1)))
struct ControllerTests {
    @Test func plainSubmitReturnsAtOnceAndTheBackgroundControllerFinishesTheWorkflow() throws {
        try withSwirlHome { swirl in
            let submit = try swirl.run(["submit", fixture("quick.yaml").path, "-o", "name"], timeout: 20)
            #expect(submit.succeeded, "\(submit)")
            #expect(submit.seconds < 2, "plain submit took \(submit.seconds)s")
            let name = try #require(submit.stdoutLines.first)
            #expect(submit.stdoutLines.count == 1, "\(submit)")

            let wf = try swirl.poll(name, timeout: 30, every: 0.2) { $0.isFinished }
            #expect(wf?.phase == "Succeeded", "\(String(describing: wf?.raw))")
            let logs = try swirl.run(["logs", name])
            #expect(logs.stdout.contains("quick-done"), "\(logs)")
            // cleanup() checks that the detached controller exits once idle.
        }
    }

    @Test func noopExecutorRunsAFiftyTaskDAGWithoutRunningAnything() throws {
        try withSwirlHome { swirl in
            let markers = try swirl.hostDirectory("markers")
            let file = try swirl.instantiate("noop-fifty.yaml", ["__MARKER_DIR__": markers.path])
            let submit = try swirl.run(["submit", file.path, "--executor", "noop", "--wait", "-o", "json"], timeout: 30)
            try #require(submit.succeeded, "\(submit)")
            #expect(submit.seconds < 10, "noop run of 50 tasks took \(submit.seconds)s")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Succeeded")
            #expect(wf.podNodes.count == 50)
            #expect(wf.nodes.count == 51)
            #expect(wf.nodes.allSatisfy { $0.phase == "Succeeded" })
            let left = try FileManager.default.contentsOfDirectory(atPath: markers.path)
            #expect(left.isEmpty, "the noop executor ran steps: \(left.sorted())")
            let pods = (try? FileManager.default.contentsOfDirectory(atPath: swirl.home.appendingPathComponent("pods").path)) ?? []
            #expect(pods.isEmpty, "the noop executor prepared pod sandboxes: \(pods.sorted())")
        }
    }
}
