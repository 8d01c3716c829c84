import Foundation
import SwirlEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Direct launch: a pod that needs nothing but the sandbox (no artifacts, no deadline, no archived logs) skips the
/// Swift supervisor. The controller prepares the pod's scratch space in-process and starts the sandbox script
/// itself, in its own session so that it outlives the controller; the script records its start, exit status and
/// output files, and creates the done marker last. That saves a process start (tens of milliseconds) per step, which
/// is most of Swirl's cost per step. The result is assembled from those files when the marker appears.
///
/// Such a pod has no directory on the disk: its request and status live in its scratch space (a tmpfs), its logs in
/// the home's `logs` directory, and its result is not written to a file: the scratch space stays until the
/// controller has stored the result (`resultsRecorded(podNames:)`), so a controller killed before that collects it
/// again. A directory and a result file on the disk cost half a millisecond of CPU per step on this kind of
/// machine (ext4 without a journal skips every recently freed inode when it allocates one).
extension SandboxExecutor {
    /// A pod this process launched directly and has not seen finish.
    struct DirectPod: Sendable {
        var request: PodRequest
        var pid: pid_t
    }

    static func canLaunchDirectly(_ request: PodRequest) -> Bool {
        request.inputArtifacts.isEmpty && request.outputArtifacts.isEmpty && request.archiveLogsKey == nil
            && request.deadlineSeconds == nil && !request.daemon  // a daemon's supervisor runs its readiness probe
            && request.http == nil  // the supervisor sends an http template's request
    }

    /// Starts a direct pod unless it was started before: its scratch space, made exclusively, is its mark.
    func startDirectly(_ request: PodRequest, files: PodFiles) throws {
        try makeSharedDirectoriesOnce()
        if try !ScratchSpace.createNew(files) {
            if startedBefore(request, files: files) { return }
            // Left by an earlier home at the same path (the tmpfs outlives a deleted `SWIRL_HOME`), or by a start
            // cut short before its request was written.
            FileIO.remove(files.scratch)
            try ScratchSpace.create(files)
        }
        // A request in the scratch space is what marks a direct pod (a supervised pod's is in its pod directory).
        guard try FileIO.createExclusively(PodJSON.encode(request), at: files.directRequest) else { return }
        do {
            try launchDirectly(request, files: files)
        } catch {
            try recordLaunchFailure(error, podName: request.podName, files: files)
        }
    }

    /// Whether the scratch space holds this very pod's request (same workflow and node): the pod was started.
    func startedBefore(_ request: PodRequest, files: PodFiles) -> Bool {
        guard let earlier = readRequest(files) else { return false }
        return earlier.workflowUID == request.workflowUID && earlier.nodeID == request.nodeID
    }

    /// Prepares the new scratch space and spawns the sandbox script.
    func launchDirectly(_ request: PodRequest, files: PodFiles) throws {
        let runner = PodRunner(layout: layout, files: files)
        switch runner.prepare(request, doneMarker: layout.doneMarker(request.podName), freshDirectories: true) {
        case .failed(let result):
            try recordResult(result, podName: request.podName, files: files)
        case .ready(let command, _):
            let pid = try ProcessLauncher.spawn(
                // SWIRL_HOME marks the sandbox's processes as this home's (the step itself gets a clean environment).
                command,
                environment: ["PATH": runner.hostPath ?? SandboxEnvironment.basePath, "SWIRL_HOME": layout.homePath],
                stdout: .append(files.supervisorLog), stderr: .append(files.supervisorLog), grouping: .newSession)
            try? FileIO.write(Array("\(pid)\n".utf8), to: files.sandboxPGID)
            directChildren.withLock { $0.insert(pid) }
            directPods.withLock { $0[request.podName] = DirectPod(request: request, pid: pid) }
        }
    }

    /// Finished once the script's done marker exists; running while its process lives; otherwise lost. `known` is
    /// the pod as this process launched it (nil after a restart: then its files tell).
    func observeDirect(podName: String, files: PodFiles, known: DirectPod? = nil) -> PodObservation {
        if FileIO.exists(layout.doneMarker(podName)) {
            guard let request = directPods.withLock({ $0.removeValue(forKey: podName) })?.request ?? readRequest(files)
            else { return .lost("request.json of a finished pod is unreadable") }
            let result = PodRunner(layout: layout, files: files).collectDirect(request)
            reapDirectChild(files, pid: known?.pid)
            // The scratch the result is collected from stays until the controller has stored the result.
            collectedPods.withLock { _ = $0.insert(podName) }
            return .finished(result)
        }
        guard let pid = known?.pid ?? directPID(files) else {
            return .lost("the sandbox of a directly launched pod has no pid")
        }
        if Glibc.kill(pid, 0) == 0 || errno == EPERM { return .running }
        return .lost("the sandbox exited without a result")
    }

    /// The request of a pod started before, from wherever its kind keeps it.
    func readRequest(_ files: PodFiles) -> PodRequest? {
        guard let data = FileIO.read(files.directRequest) ?? FileIO.read(files.request) else { return nil }
        return try? PodJSON.decoder().decode(PodRequest.self, from: data)
    }

    /// Queues a finished pod's scratch space for removal by the sweeper, off the path from one step's end to its
    /// dependent's start and out of the CPU time steps want.
    func deferScratchRemoval(_ files: PodFiles) {
        sweeper.enqueue(files)
    }

    /// The controller has stored these pods' results: the scratch spaces of the direct pods among them go (on the
    /// sweeper's thread).
    public func resultsRecorded(podNames: [String]) {
        let collected = collectedPods.withLock { collected in podNames.filter { collected.remove($0) != nil } }
        for podName in collected { sweeper.enqueue(layout.podFiles(podName)) }
    }

    /// Removes the scratch space of every finished pod of this home that still has one: left by a controller or
    /// supervisor killed between collecting a result and removing the scratch (the sweeper's queue lived in its
    /// memory). A directly launched pod's result may not be stored yet: it is written to `result.json` first,
    /// collected from that scratch, for the next controller to read. Lists the tmpfs root and the pods directory
    /// once; meant for a controller's start, off its loop.
    public func removeLeftoverScratch() {
        let supervised = (try? FileManager.default.contentsOfDirectory(atPath: layout.podsPath.path)) ?? []
        for name in Set(supervised + ScratchSpace.podsWithScratch(in: layout))
        where (try? ExecutorError.validate(name, kind: "pod")) != nil {
            let files = layout.podFiles(name)
            guard FileIO.exists(files.scratch), directPods.withLock({ $0[name] == nil }),
                !collectedPods.withLock({ $0.contains(name) })
            else { continue }
            if PodJSON.readResult(files.result) != nil {
                ScratchSpace.remove(files)
            } else if FileIO.exists(layout.doneMarker(name)),
                let request = readRequest(files)
            {
                ScratchSweeper.writeResult(PodRunner(layout: layout, files: files).collectDirect(request), files: files)
                ScratchSpace.remove(files)
            }
        }
    }

    /// Does the housekeeping the sweeper had no idle CPU for in the last second.
    public func idle() { sweeper.sweepStale() }

    /// Writes every result file and removes every scratch space still queued.
    public func finishHousekeeping() { sweeper.drain() }

    /// Stops a directly launched step at once (its whole session), then finishes the pod as terminated.
    func killDirect(podName: String, files: PodFiles) {
        if let pid = directPID(files) {
            StepProcesses.killGroup(pid)
            reapDirectChild(files)
        }
        if !FileIO.exists(files.statusExit) {
            try? FileIO.makeDirectory(files.status)
            try? FileIO.writeAtomically(Data("\(PodRunner.terminatedMessage)\n".utf8), to: files.statusError)
        }
        try? FileIO.writeAtomically(Data(), to: layout.doneMarker(podName))
    }

    func directPID(_ files: PodFiles) -> pid_t? {
        FileIO.readTrimmed(files.sandboxPGID).flatMap { pid_t($0) }
    }

    /// Reaps the sandbox process when this process started it (after a restart, init reaps it instead). Never
    /// blocks: a sandbox still tearing its mount namespace down after its done marker is reaped on a later call.
    func reapDirectChild(_ files: PodFiles, pid known: pid_t? = nil) {
        let pid = known ?? directPID(files)
        directChildren.withLock { children in
            guard let pid, children.contains(pid) else { return }
            exitingChildren.withLock { $0.insert(pid) }
            children.remove(pid)
        }
        exitingChildren.withLock { exiting in
            for pid in exiting {
                var status: Int32 = 0
                let rc = waitpid(pid, &status, WNOHANG)
                if rc == pid || (rc < 0 && errno == ECHILD) { exiting.remove(pid) }
            }
        }
    }
}
