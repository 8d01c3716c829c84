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
            #expect(
                line.wholeMatch(of: #/^Tests/Fixtures/e2e/lint-broken-yaml\.yaml:\d+:\d+: error: .*YAML.*$/#) != nil,
                "\(line)")
            #expect(line.contains("line 10"), "the message should point at the unterminated quote on line 10: \(line)")

            // Submitting it fails the same way, without storing anything.
            let submit = try swirl.run(["submit", path])
            #expect(submit.exitedNormally && submit.status != 0, "\(submit)")
            #expect(!submit.stderr.contains("Fatal error"), "\(submit)")
            #expect(try swirl.run(["list"]).stdoutLines.count == 1)
        }
    }
}

/// `pipe2(fds, O_CLOEXEC)`, which the Glibc module does not import: no concurrently spawned child inherits it.
private func pipeCloseOnExec(_ fds: inout [Int32]) -> Int32 {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else { return -1 }
    return fds.withUnsafeMutableBufferPointer { unsafeBitCast(symbol, to: Pipe2.self)($0.baseAddress!, O_CLOEXEC) }
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

            // logs -f follows the running workflow to its end.
            let follow = try swirl.run(["logs", name, "-f"], timeout: 30)
            #expect(follow.succeeded, "\(follow)")
            #expect(follow.stdout.contains("quick-done"), "\(follow)")

            let wf = try swirl.poll(name, timeout: 30, every: 0.2) { $0.isFinished }
            #expect(wf?.phase == "Succeeded", "\(String(describing: wf?.raw))")
            let logs = try swirl.run(["logs", name])
            #expect(logs.stdout.contains("quick-done"), "\(logs)")
            // cleanup() checks that the detached controller exits once idle.
        }
    }

    /// Many files in one plain submit: the background controller starts on the first ones while the rest are
    /// stored, every name is printed in order, and all of them finish.
    @Test func plainSubmitOfManyFilesRunsThemAll() throws {
        try withSwirlHome { swirl in
            let files = Array(repeating: fixture("quick.yaml").path, count: 70)
            let submit = try swirl.run(["submit"] + files + ["-o", "name"], timeout: 60)
            #expect(submit.succeeded, "\(submit)")
            #expect(submit.stdoutLines.count == 70, "\(submit)")
            #expect(Set(submit.stdoutLines).count == 70, "names must be distinct: \(submit.stdoutLines)")
            let wait = try swirl.run(["wait"] + submit.stdoutLines, timeout: 120)
            #expect(wait.succeeded, "\(wait)")
            #expect(wait.stdoutLines.filter { $0.contains(" Succeeded at ") }.count == 70, "\(wait)")
        }
    }

    /// The detached controller must not keep the caller's descriptors open: a caller that waits for EOF on a
    /// pipe it handed to `swirl submit` (a CI runner, make's jobserver, Foundation's `Process` on Linux) would
    /// otherwise block until the controller goes idle.
    @Test func backgroundControllerDoesNotInheritTheCallersDescriptors() throws {
        try withSwirlHome { swirl in
            var fds: [Int32] = [0, 0]
            try #require(pipeCloseOnExec(&fds) == 0)
            defer { close(fds[0]) }
            let submit = try swirl.start(
                ["submit", fixture("quick.yaml").path, "--name", "fd-leak", "-p", "seconds=5", "-o", "name"],
                inheritedFD: fds[1])
            close(fds[1])
            let result = submit.finish(timeout: 20)
            #expect(result.succeeded, "\(result)")
            #expect(result.seconds < 2, "plain submit took \(result.seconds)s")

            // Every holder of the write end is gone once submit has exited: read() sees EOF at once.
            var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 2_000)
            var byte: UInt8 = 0
            let eof = ready == 1 && read(fds[0], &byte, 1) == 0
            let holders = swirl.processes().filter { pid in
                ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).contains("3")
            }
            #expect(eof, "the pipe given to `swirl submit` as fd 3 is still open after it exited; held by \(holders)")

            let wait = try swirl.run(["wait", "fd-leak"], timeout: 30)
            #expect(wait.succeeded, "\(wait)")
        }
    }

    @Test func noopExecutorRunsAFiftyTaskDAGWithoutRunningAnything() throws {
        try withSwirlHome { swirl in
            let markers = try swirl.hostDirectory("markers")
            let file = try swirl.instantiate("noop-fifty.yaml", ["__MARKER_DIR__": markers.path])
            let submit = try swirl.run(
                ["submit", file.path, "--executor", "noop", "--wait", "-o", "json"], timeout: 30)
            try #require(submit.succeeded, "\(submit)")
            #expect(submit.seconds < 10, "noop run of 50 tasks took \(submit.seconds)s")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Succeeded")
            #expect(wf.podNodes.count == 50)
            #expect(wf.nodes.count == 51)
            #expect(wf.nodes.allSatisfy { $0.phase == "Succeeded" })
            let left = try FileManager.default.contentsOfDirectory(atPath: markers.path)
            #expect(left.isEmpty, "the noop executor ran steps: \(left.sorted())")
            let pods =
                (try? FileManager.default.contentsOfDirectory(atPath: swirl.home.appendingPathComponent("pods").path))
                ?? []
            #expect(pods.isEmpty, "the noop executor prepared pod sandboxes: \(pods.sorted())")
        }
    }
}
