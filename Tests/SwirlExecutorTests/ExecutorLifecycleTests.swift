import Foundation
import SwirlEngine
import Testing

@testable import SwirlExecutor

@Suite("Executor lifecycle")
struct ExecutorLifecycleTests {
    @Test("observe: notStarted, then running while the supervisor holds its lock, then finished")
    func observeWithFakeSupervisor() async throws {
        // A stand-in supervisor: takes the lock, waits for a go file, writes a result and the done marker.
        let fake = """
            exec 9>"$1/supervisor.lock"; flock 9; while [ ! -e "$1/go" ]; do sleep 0.05; done
            printf '{"exitCode":0,"outputParameters":{},"missingOutputs":{},"savedArtifacts":{},"artifactErrors":{},"stdout":"hi"}' > "$1/result.json"
            : > "$(dirname "$(dirname "$1")")/run/done/$(basename "$1")"
            """
        let fixture = try SandboxFixture(supervisorCommand: ["/bin/sh", "-c", fake, "fake-supervisor"])
        let watcher = try CompletionWatcher(directory: fixture.layout.doneDirectory)
        defer { watcher.stop() }
        let request = try pod("observed", argv: ["true"])
        #expect(fixture.executor.observe(podName: "observed") == .notStarted)
        try fixture.executor.start(request)
        try fixture.executor.start(request)  // idempotent
        #expect(fixture.executor.observe(podName: "observed") == .running)
        try await Task.sleep(for: .milliseconds(300))
        #expect(FileLock.isHeld(PodFiles(fixture.layout.podDirectory("observed")).supervisorLock))
        _ = FileManager.default.createFile(atPath: fixture.layout.podDirectory("observed").path + "/go", contents: nil)
        var names = watcher.podNames.makeAsyncIterator()
        #expect(await names.next() == "observed")
        #expect(fixture.executor.observe(podName: "observed") == .finished(PodResult(exitCode: 0, stdout: "hi")))
    }

    @Test("a supervisor that exits without a result is reported lost after the startup grace")
    func lostSupervisor() async throws {
        let fixture = try SandboxFixture(supervisorCommand: ["/bin/true"])
        try fixture.executor.start(try pod("lost", argv: ["true"]))
        #expect(fixture.executor.observe(podName: "lost") == .running)
        try await Task.sleep(for: .seconds(SandboxExecutor.startupGrace + 0.3))
        #expect(fixture.executor.observe(podName: "lost") == .lost("supervisor exited without a result"))
    }

    @Test("a supervisor that cannot be launched leaves an Error result")
    func unlaunchable() throws {
        let fixture = try SandboxFixture(supervisorCommand: ["/no/such/swirl", "__supervise"])
        try fixture.executor.start(try pod("unlaunchable", argv: ["true"]))
        guard case .finished(let result) = fixture.executor.observe(podName: "unlaunchable") else {
            Issue.record("expected a finished pod")
            return
        }
        #expect(result.exitCode == nil)
        #expect(result.error?.contains("/no/such/swirl") == true)
    }

    @Test("kill terminates a running step and reports it terminated")
    func kill() async throws {
        let fixture = try SandboxFixture()
        let request = try pod("killed", argv: sh("sleep 600"))
        let started = Date()
        async let result = fixture.run(request)
        let podDirectory = fixture.layout.podDirectory("killed")
        while !FileManager.default.fileExists(atPath: PodFiles(podDirectory).sandboxPGID.path) {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(fixture.executor.observe(podName: "killed") == .running)
        fixture.executor.kill(podName: "killed")
        let finished = try await result
        #expect(finished.exitCode == nil)
        #expect(finished.error == "terminated")
        // Far below the step's 600 s: it was killed, not waited for (the bound is loose for a loaded machine).
        #expect(Date().timeIntervalSince(started) < 120)
    }

    @Test("removeWorkflowData deletes the pods and the workflow's volumes")
    func removeWorkflowData() async throws {
        let fixture = try SandboxFixture()
        let request = try pod(
            "to-delete", workflowUID: "uid-del", argv: sh("echo x > /v/f"),
            mounts: [#"{"name": "v", "mountPath": "/v"}"#], workflowVolumes: [emptyDir("v")])
        _ = try await fixture.run(request)
        let volume = fixture.layout.volumesDirectory.appendingPathComponent("uid-del")
        #expect(FileManager.default.fileExists(atPath: volume.path))
        let logs = [fixture.layout.stdoutLog("to-delete").path, fixture.layout.stderrLog("to-delete").path]
        #expect(logs.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        fixture.executor.removeWorkflowData(workflowUID: "uid-del", podNames: ["to-delete"])
        #expect(!FileManager.default.fileExists(atPath: volume.path))
        #expect(!FileManager.default.fileExists(atPath: fixture.layout.podDirectory("to-delete").path))
        #expect(!logs.contains { FileManager.default.fileExists(atPath: $0) }, "the logs go too")
        #expect(fixture.executor.observe(podName: "to-delete") == .notStarted)
    }

    @Test("a pod's logs are read from the logs directory, or from its pod directory when an older Swirl ran it")
    func logsOfOlderPods() throws {
        let fixture = try SandboxFixture()
        let earlier = fixture.layout.podDirectory("older").appendingPathComponent("stdout.log")
        try FileIO.makeDirectory(LocalPath(fixture.layout.podDirectory("older")))
        try FileIO.write(Data("old\n".utf8), to: LocalPath(earlier))
        #expect(fixture.layout.existingStdoutLog("older") == earlier)
        try FileIO.makeDirectory(LocalPath(fixture.layout.logsDirectory))
        try FileIO.write(Data("new\n".utf8), to: LocalPath(fixture.layout.stdoutLog("older")))
        #expect(fixture.layout.existingStdoutLog("older") == fixture.layout.stdoutLog("older"), "the new place wins")
        #expect(fixture.layout.existingStdoutLog("never-ran") == fixture.layout.stdoutLog("never-ran"))
    }

    @Test("the completion watcher yields existing markers, then new ones as they appear")
    func completionWatcher() async throws {
        let fixture = try SandboxFixture()
        try FileManager.default.createDirectory(at: fixture.layout.doneDirectory, withIntermediateDirectories: true)
        try FileIO.writeAtomically(Data(), to: fixture.layout.doneMarker("early"))
        let watcher = try CompletionWatcher(directory: fixture.layout.doneDirectory)
        var names = watcher.podNames.makeAsyncIterator()
        #expect(await names.next() == "early")
        #expect(watcher.takeArrival("early") == nil, "a marker found by listing has no arrival time")
        let before = Date()
        try FileIO.writeAtomically(Data(), to: fixture.layout.doneMarker("late"))
        #expect(await names.next() == "late")
        let arrival = try #require(watcher.takeArrival("late"))
        #expect(arrival >= before && arrival <= Date())
        #expect(watcher.takeArrival("late") == nil, "an arrival is taken once")
        watcher.stop()
        #expect(await names.next() == nil)
    }

    @Test("a finished pod's leftover scratch is removed in the background, at the latest a second later when idle")
    func leftoverScratch() throws {
        let fixture = try SandboxFixture()
        let files = PodFiles(fixture.layout.podDirectory("leftover"))
        try FileIO.makeDirectory(files.directory)
        try FileIO.makeDirectory(files.layer.appendingPathComponent("upper"))
        try FileIO.writeAtomically(Data("x".utf8), to: files.layer.appendingPathComponent("upper/written-by-step"))
        try FileIO.writeAtomically(PodJSON.encoder().encode(PodResult(exitCode: 0)), to: files.result)
        #expect(fixture.executor.observe(podName: "leftover") == .finished(PodResult(exitCode: 0)))
        let deadline = Date().addingTimeInterval(10)
        while FileIO.exists(files.scratch) && Date() < deadline {
            fixture.executor.idle()  // removes what the idle-priority sweeper had no CPU for within a second
            usleep(20_000)
        }
        #expect(!FileIO.exists(files.scratch))
        #expect(FileIO.exists(files.result), "the result stays")
    }

    @Test("leftover scratch of finished pods is swept at a controller's start; a running pod's stays")
    func sweepLeftoverScratch() throws {
        let fixture = try SandboxFixture()
        let finished = PodFiles(fixture.layout.podDirectory("finished-pod"))
        let running = PodFiles(fixture.layout.podDirectory("running-pod"))
        for files in [finished, running] {
            try FileIO.makeDirectory(files.directory)
            try FileIO.makeDirectory(files.layer.appendingPathComponent("upper"))
        }
        try FileIO.writeAtomically(PodJSON.encoder().encode(PodResult(exitCode: 0)), to: finished.result)
        fixture.executor.removeLeftoverScratch()
        #expect(!FileIO.exists(finished.scratch))
        #expect(FileIO.exists(finished.result))
        #expect(FileIO.exists(running.scratch), "a pod without a result may still be running")
        ScratchSpace.remove(running)
    }

    @Test("a directly launched pod whose result was not stored is collected again by the next executor")
    func directResultCollectedAgain() async throws {
        try requireSandboxTools()
        let (fixture, direct, watcher) = try SandboxFixture.directPods()
        defer { watcher.stop() }
        try direct.start(try pod("torn", argv: ["sh", "-c", "echo collected"]))
        var names = watcher.podNames.makeAsyncIterator()
        #expect(await names.next() == "torn")
        guard case .finished = direct.observe(podName: "torn") else {
            Issue.record("the pod should be finished")
            return
        }
        // The controller died before storing the result, and a torn result file is there (a leftover sweep cut
        // short); a new executor (nothing in memory) observes the pod.
        let files = PodFiles(fixture.layout.podDirectory("torn"))
        try FileIO.makeDirectory(files.directory)
        try FileIO.write(Data(#"{"exitCode":0,"std"#.utf8), to: files.result)
        let restarted = fixture.directExecutor()
        guard case .finished(let result) = restarted.observe(podName: "torn") else {
            Issue.record("the pod should be finished")
            return
        }
        #expect(result.exitCode == 0)
        #expect(result.stdout == "collected\n" || result.stdout == "collected")
        restarted.finishHousekeeping()
        #expect(FileIO.exists(files.scratch), "kept until the controller has stored the result")
        restarted.resultsRecorded(podNames: ["torn"])
        restarted.finishHousekeeping()
        #expect(!FileIO.exists(files.scratch))
    }

    @Test("a direct pod leaves no file on the disk but its logs, and its scratch stays until its result is stored")
    func directResultKeptUntilStored() async throws {
        try requireSandboxTools()
        let (fixture, direct, watcher) = try SandboxFixture.directPods()
        defer { watcher.stop() }
        try direct.start(try pod("observed", argv: ["sh", "-c", "echo one"]))
        try direct.start(try pod("unobserved", argv: ["sh", "-c", "echo two"]))
        var names = watcher.podNames.makeAsyncIterator()
        var done: Set<String> = []
        while done.count < 2, let name = await names.next() { done.insert(name) }
        guard case .finished(let first) = direct.observe(podName: "observed") else {
            Issue.record("the pod should be finished")
            return
        }
        #expect(first.exitCode == 0 && first.stdout == "one")
        // Asked again before the controller stored it: the same answer.
        #expect(direct.observe(podName: "observed") == .finished(first))
        let observed = PodFiles(fixture.layout.podDirectory("observed"))
        direct.finishHousekeeping()
        #expect(FileIO.exists(observed.scratch), "what the result is collected from stays until it is stored")
        direct.resultsRecorded(podNames: ["observed", "never-started"])
        direct.finishHousekeeping()
        #expect(!FileIO.exists(observed.scratch))
        #expect(!FileIO.exists(observed.directory), "no pod directory, no result file on the disk")
        #expect(FileIO.read(observed.stdoutLog) == Data("one\n".utf8), "the logs stay")
        #expect(
            ((try? FileManager.default.contentsOfDirectory(atPath: fixture.layout.podsDirectory.path)) ?? []).isEmpty)
        // The controller died before it saw the other pod finish: the next one's start writes its result, so a
        // controller that adopts the workflow later still finds it.
        let unobserved = PodFiles(fixture.layout.podDirectory("unobserved"))
        #expect(FileIO.exists(unobserved.scratch))
        let next = fixture.directExecutor()
        next.removeLeftoverScratch()
        let second = try #require(PodJSON.readResult(unobserved.result))
        #expect(second.exitCode == 0 && second.stdout == "two")
        #expect(!FileIO.exists(unobserved.scratch))
        #expect(next.observe(podName: "unobserved") == .finished(second))
    }

    @Test("a direct pod's request lives in its scratch space, and a restarted executor still finds, keeps and kills it")
    func directRequestInScratch() async throws {
        try requireSandboxTools()
        let (fixture, direct, watcher) = try SandboxFixture.directPods()
        defer { watcher.stop() }
        let request = try pod("sleeper", argv: ["sh", "-c", "echo started; sleep 30"])
        try direct.start(request)
        let files = PodFiles(fixture.layout.podDirectory("sleeper"))
        #expect(FileIO.exists(files.directRequest))
        #expect(!FileIO.exists(files.request), "no request file on the disk for a direct pod")
        #expect(!FileIO.exists(files.directory), "no pod directory either")
        // A new executor (the controller restarted) sees a running pod, and starting it again changes nothing.
        let restarted = fixture.directExecutor()
        #expect(restarted.observe(podName: "sleeper") == .running)
        let sandbox = try #require(FileIO.readTrimmed(files.sandboxPGID))
        try restarted.start(request)
        #expect(FileIO.readTrimmed(files.sandboxPGID) == sandbox, "the running pod was not started again")
        restarted.kill(podName: "sleeper")
        var names = watcher.podNames.makeAsyncIterator()
        #expect(await names.next() == "sleeper")
        guard case .finished(let result) = restarted.observe(podName: "sleeper") else {
            Issue.record("the killed pod should be finished")
            return
        }
        #expect(result.exitCode == nil && result.error == PodRunner.terminatedMessage)
        #expect(restarted.observe(podName: "sleeper") == .finished(result), "the same until the result is stored")
        // Started again before the result is stored (the controller restarted once more): nothing runs.
        try restarted.start(request)
        #expect(restarted.observe(podName: "sleeper") == .finished(result))
        restarted.resultsRecorded(podNames: ["sleeper"])
        restarted.finishHousekeeping()
        #expect(!FileIO.exists(files.scratch), "the request went with the scratch space once the result was stored")
        #expect(!FileIO.exists(files.result))
    }

    @Test("invalid pod names are rejected")
    func invalidName() throws {
        let fixture = try SandboxFixture()
        #expect(throws: ExecutorError.self) { try fixture.executor.start(try pod("../escape", argv: ["true"])) }
    }
}
