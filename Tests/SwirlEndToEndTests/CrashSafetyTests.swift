import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` of the process running the embedded controller must not make any step run twice:
/// the pod supervisors outlive it and `swirl wait` adopts their results.
@Suite("Crash safety", .timeLimit(.minutes(1)))
struct CrashSafetyTests {
    /// Submits crash-dag.yaml with `--wait`, kills the submit once `killWhen` reports Running, then `swirl wait`s.
    private func crashAndRecover(killWhileRunning task: String, firstSleep: Int) throws {
        try withSwirlHome { swirl in
            let counts = try swirl.hostDirectory("count")
            let file = try swirl.instantiate("crash-dag.yaml", ["__COUNT_DIR__": counts.path])
            let name = "crash-\(UUID().uuidString.prefix(6).lowercased())"

            let submit = try swirl.start([
                "submit", file.path, "--wait", "--name", name, "-p", "firstsleep=\(firstSleep)",
                "-p", "secondsleep=6",
            ])
            let pollStart = Date()
            // Stop early if the submit itself dies: then its output says why.
            let running = try swirl.poll(name, timeout: 20, every: 0.05, stopIf: { submit.hasExited }) {
                $0.node(task)?.phase == "Running"
            }
            guard running?.node(task)?.phase == "Running", !submit.hasExited else {
                submit.kill9()
                let result = submit.finish(timeout: 5)
                let log: String = swirl.pollLog.suffix(10).joined(separator: "\n")
                Issue.record(
                    "task '\(task)' never seen Running in \(Date().timeIntervalSince(pollStart))s:\n\(log)\n\(result)")
                return
            }
            submit.kill9()
            let killed = submit.finish(timeout: 10)
            #expect(!killed.exitedNormally && killed.status == SIGKILL, "\(killed)")

            // The premise: the pod's supervisor (or, for a directly launched pod, its sandbox script) is not a
            // child of the dead controller.
            let supervisors = swirl.processes().filter { pid in
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                let cmdline = String(decoding: data, as: UTF8.self)
                return cmdline.contains("__supervise") || cmdline.contains("sandbox.sh")
            }
            #expect(!supervisors.isEmpty, "expected the running step's supervisor to outlive the killed submit")

            let wait = try swirl.run(["wait", name], timeout: 120)
            #expect(wait.succeeded, "\(wait)")
            #expect(wait.stdout.contains(name) && wait.stdout.contains("Succeeded"), "\(wait)")

            let wf = try #require(try swirl.workflow(name))
            #expect(wf.phase == "Succeeded", "\(wf.raw)")
            #expect(wf.nodes.count == 4)
            for node in wf.nodes { #expect(node.phase == "Succeeded", "node \(node.displayName): \(node.raw)") }

            // Each step ran exactly once.
            let fetch = lines(of: counts.appendingPathComponent("fetch.log"))
            #expect(fetch == ["ran"], "first step ran \(fetch.count) times")
            #expect(lines(of: counts.appendingPathComponent("second.log")) == ["second"])
            #expect(lines(of: counts.appendingPathComponent("third.log")) == ["third"])
        }
    }

    /// Plain `submit` leaves a detached controller; kill -9 it mid-step, then `swirl wait` finishes the job.
    @Test func killTheBackgroundControllerDuringSecondStep() throws {
        try withSwirlHome { swirl in
            let counts = try swirl.hostDirectory("count")
            let file = try swirl.instantiate("crash-dag.yaml", ["__COUNT_DIR__": counts.path])
            let name = "bg-crash"
            let submit = try swirl.run(["submit", file.path, "--name", name, "-o", "name", "-p", "secondsleep=6"])
            try #require(submit.succeeded, "\(submit)")
            #expect(submit.seconds < 2, "plain submit took \(submit.seconds)s")
            let pollStart = Date()
            let running = try swirl.poll(name, timeout: 20, every: 0.05) { $0.node("second")?.phase == "Running" }
            try #require(
                running?.node("second")?.phase == "Running",
                "not seen Running in \(Date().timeIntervalSince(pollStart))s:\n\(swirl.pollLog.joined(separator: "\n"))"
            )

            let controllers = swirl.processes().filter { pid in
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.contains("controller")
            }
            try #require(controllers.count == 1, "expected one background controller, found \(controllers)")
            for pid in controllers { _ = kill(pid, SIGKILL) }

            let wait = try swirl.run(["wait", name], timeout: 120)
            #expect(wait.succeeded, "\(wait)")
            let wf = try #require(try swirl.workflow(name))
            #expect(wf.phase == "Succeeded", "\(wf.raw)")
            for node in wf.nodes { #expect(node.phase == "Succeeded", "node \(node.displayName): \(node.message)") }
            #expect(lines(of: counts.appendingPathComponent("fetch.log")) == ["ran"])
            #expect(lines(of: counts.appendingPathComponent("second.log")) == ["second"])
            #expect(lines(of: counts.appendingPathComponent("third.log")) == ["third"])
        }
    }

    @Test func killDuringSecondStepDoesNotRerunFirst() throws {
        try crashAndRecover(killWhileRunning: "second", firstSleep: 0)
    }

    @Test func killDuringFirstStepDoesNotStartItTwice() throws {
        try crashAndRecover(killWhileRunning: "first", firstSleep: 3)
    }
}
