import Foundation
import SwirlEngine
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The default executor: each pod runs under bubblewrap on a copy-on-write root, either launched directly by the
/// controller (see `SandboxExecutor+Direct`) or watched by a detached supervisor (`swirl __supervise POD_DIR`) that
/// leaves the outcome in the pod directory.
public final class SandboxExecutor: Executor {
    /// How long after launch a supervisor that does not hold its lock yet still counts as starting.
    static let startupGrace: TimeInterval = 2

    public let layout: SandboxLayout
    let directLaunch: Bool
    /// Sandboxes this process launched directly, to reap when they finish.
    let directChildren = Mutex<Set<pid_t>>([])
    /// Directly launched sandboxes whose done marker appeared but which may not have exited yet, to reap.
    let exitingChildren = Mutex<Set<pid_t>>([])
    /// The direct pods this process launched and has not seen finish, with their sandbox's pid, so that observing
    /// and collecting them reads neither `request.json` nor the pid file back (after a restart it does).
    let directPods = Mutex<[String: DirectPod]>([:])
    /// Direct pods whose result this process collected (reported `.finished`) and the controller has not stored
    /// yet: their scratch spaces, which the result is collected from, stay until `resultsRecorded(podNames:)`.
    let collectedPods = Mutex<Set<String>>([])
    /// Removes stored direct pods' scratch spaces off the controller's path (see `ScratchSweeper`).
    let sweeper = ScratchSweeper()
    /// Set once the done-marker and logs directories are known to exist (they are made by the first start).
    let sharedDirectoriesMade = Atomic<Bool>(false)
    /// The argv prefix that runs the supervisor; the pod directory is appended.
    public let supervisorCommand: [String]

    /// - Parameters:
    ///   - layout: where pods, done markers and volumes live.
    ///   - supervisorCommand: the argv prefix that runs the supervisor, e.g. `["/path/to/swirl", "__supervise"]`;
    ///     the pod directory path is appended.
    /// - Parameter directLaunch: let pods that need nothing but the sandbox skip the supervisor (see
    ///   `SandboxExecutor+Direct`); false runs every pod through the supervisor.
    public init(layout: SandboxLayout, supervisorCommand: [String], directLaunch: Bool = true) {
        self.layout = layout
        self.supervisorCommand = supervisorCommand
        self.directLaunch = directLaunch
    }

    public func start(_ request: PodRequest) throws {
        try ExecutorError.validate(request.podName, kind: "pod")
        let files = layout.podFiles(request.podName)
        sweeper.cancel(files)  // a pod started again (retry) gets the same scratch space
        if directLaunch && Self.canLaunchDirectly(request) {
            try startDirectly(request, files: files)
            return
        }
        // A pod directory made just now belongs to a pod never started: no request, supervisor or result in it.
        let newPod = try FileIO.makeNewDirectory(files.directory)
        if !newPod && hasStarted(files) { return }
        guard try writeRequest(request, files: files, newPod: true) != nil else { return }
        try ScratchSpace.create(files, fresh: true)
        do {
            try launchSupervisor(files)
        } catch {
            try recordLaunchFailure(error, podName: request.podName, files: files)
        }
    }

    /// Records that a pod could not be launched as its result, so the controller sees an Error, not a hang.
    func recordLaunchFailure(_ error: any Error, podName: String, files: PodFiles) throws {
        try recordResult(
            PodResult(exitCode: nil, error: "\(error)", startedAt: Date(), finishedAt: Date()), podName: podName,
            files: files)
    }

    /// Writes a pod's result file (making its pod directory, which a direct pod does not have) and its done marker.
    func recordResult(_ result: PodResult, podName: String, files: PodFiles) throws {
        try FileIO.makeDirectory(files.directory)
        try FileIO.writeAtomically(PodJSON.encode(result), to: files.result)
        try FileIO.writeAtomically(Data(), to: layout.doneMarker(podName))
    }

    /// Whether the pod in `files` was started before: its request (either kind), its supervisor or its result is
    /// there.
    func hasStarted(_ files: PodFiles) -> Bool {
        FileIO.exists(files.result) || FileIO.exists(files.request) || FileIO.exists(files.directRequest)
            || FileLock.isHeld(files.supervisorLock)
    }

    /// Makes the done-marker and logs directories on the first start.
    func makeSharedDirectoriesOnce() throws {
        if sharedDirectoriesMade.load(ordering: .relaxed) { return }
        try FileIO.makeDirectory(layout.donePath)
        try FileIO.makeDirectory(layout.logsPath)
        sharedDirectoriesMade.store(true, ordering: .relaxed)
    }

    /// Creates the pod directory and the `request.json` of a supervised pod, unless the pod was already started.
    /// - Parameter newPod: the caller made the pod directory just now or found nothing started in it.
    /// - Returns: the pod's files, or nil when a request, supervisor or result was already there.
    func writeRequest(_ request: PodRequest, files known: PodFiles? = nil, newPod: Bool = false) throws -> PodFiles? {
        try ExecutorError.validate(request.podName, kind: "pod")
        let files = known ?? layout.podFiles(request.podName)
        try makeSharedDirectoriesOnce()
        if !newPod {
            try FileIO.makeDirectory(files.directory)
            if hasStarted(files) { return nil }
        }
        let data = try PodJSON.encode(request)
        return try FileIO.createExclusively(data, at: files.request) ? files : nil
    }

    /// Starts the supervisor in its own session, re-parented away from the controller (`setsid --fork`), with
    /// stdin from /dev/null and its diagnostics in `supervisor.log`.
    private func launchSupervisor(_ files: PodFiles) throws {
        guard let program = supervisorCommand.first,
            let executable = ProcessLauncher.which(program)
        else {
            throw ExecutorError.launchFailed(command: supervisorCommand, errno: ENOENT)
        }
        let command = [executable] + supervisorCommand.dropFirst() + [files.directory.path]
        let environment = ProcessInfo.processInfo.environment
        if let setsid = ProcessLauncher.which("setsid") {
            // setsid forks, the fork runs the supervisor, and setsid itself exits at once: reap it here.
            let pid = try ProcessLauncher.spawn(
                [setsid, "--fork"] + command, environment: environment,
                stdout: .append(files.supervisorLog), stderr: .append(files.supervisorLog), grouping: .inherit)
            _ = ProcessLauncher.wait(pid)
        } else {
            let pid = try ProcessLauncher.spawn(
                command, environment: environment,
                stdout: .append(files.supervisorLog), stderr: .append(files.supervisorLog), grouping: .newSession)
            let reaper = Thread { _ = ProcessLauncher.wait(pid) }
            reaper.start()
        }
    }

    public func observe(podName: String) -> PodObservation {
        guard (try? ExecutorError.validate(podName, kind: "pod")) != nil else { return .notStarted }
        let files = layout.podFiles(podName)
        if let pod = directPods.withLock({ $0[podName] }) {
            return observeDirect(podName: podName, files: files, known: pod)
        }
        if let result = PodJSON.readResult(files.result) {
            // Scratch left behind by a controller or supervisor that died between the result and the cleanup.
            if FileIO.exists(files.scratch) { deferScratchRemoval(files) }
            return .finished(result)
        }
        // stat(2), not FileManager's attributes, which look the owner up in /etc/passwd and /etc/group.
        guard let launched = FileIO.modificationDate(files.request) else {
            // A directly launched pod's request is in its scratch space.
            return FileIO.exists(files.directRequest) ? observeDirect(podName: podName, files: files) : .notStarted
        }
        if FileLock.isHeld(files.supervisorLock) { return .running }
        // The supervisor may have finished between the two checks.
        if let result = PodJSON.readResult(files.result) { return .finished(result) }
        if Date().timeIntervalSince(launched) < Self.startupGrace { return .running }
        return .lost("supervisor exited without a result")
    }

    public func kill(podName: String) {
        guard (try? ExecutorError.validate(podName, kind: "pod")) != nil else { return }
        let files = layout.podFiles(podName)
        guard FileIO.exists(files.request) || FileIO.exists(files.directRequest), !FileIO.exists(files.result),
            !collectedPods.withLock({ $0.contains(podName) })
        else {
            return
        }
        if FileIO.exists(files.directRequest) {
            killDirect(podName: podName, files: files)
            return
        }
        try? FileIO.writeAtomically(Data(), to: files.terminateRequest)
        if !FileLock.isHeld(files.supervisorLock) {
            // No supervisor to act on the request: reach the sandbox directly.
            if let pgid = directPID(files) { StepProcesses.killGroup(pgid) }
        }
    }

    public func removeWorkflowData(workflowUID: String, podNames: [String]) {
        sweeper.drain()
        directPods.withLock { pods in
            for podName in podNames { pods[podName] = nil }
        }
        collectedPods.withLock { $0.subtract(podNames) }
        for podName in podNames where (try? ExecutorError.validate(podName, kind: "pod")) != nil {
            if case .running = observe(podName: podName) { kill(podName: podName) }
            layout.removePodFiles(podName)
        }
        if (try? ExecutorError.validate(workflowUID, kind: "workflow uid")) != nil {
            FileIO.remove(layout.volumesDirectory.appendingPathComponent(workflowUID, isDirectory: true))
        }
    }
}
