import Foundation
import SwirlEngine
import SwirlSpec
import Testing

@testable import SwirlExecutor

/// A throwaway `$SWIRL_HOME` with helpers to run pods through the real supervisor code in-process.
final class SandboxFixture: @unchecked Sendable {
    let home: URL
    let layout: SandboxLayout
    let executor: SandboxExecutor

    init(supervisorCommand: [String] = ["/bin/false"]) throws {
        home = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("swirl-executor-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        layout = SandboxLayout(home: home)
        // These tests exercise the supervisor: no direct launches.
        executor = SandboxExecutor(layout: layout, supervisorCommand: supervisorCommand, directLaunch: false)
    }

    /// An executor on this home that launches pods directly, as the controller's does; a new one also stands for
    /// a restarted controller (nothing in memory).
    func directExecutor() -> SandboxExecutor {
        SandboxExecutor(layout: layout, supervisorCommand: ["/bin/false"], directLaunch: true)
    }

    /// A fresh home with a direct-launch executor and a watcher on its done markers (the caller stops it).
    static func directPods() throws -> (fixture: SandboxFixture, executor: SandboxExecutor, watcher: CompletionWatcher)
    {
        let fixture = try SandboxFixture()
        let watcher = try CompletionWatcher(directory: fixture.layout.doneDirectory)
        return (fixture, fixture.directExecutor(), watcher)
    }

    deinit {
        // Scratch spaces live outside the home (on /dev/shm): a pod that never finished leaves its own behind.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: layout.podsPath.path)) ?? [] {
            ScratchSpace.remove(layout.podFiles(name))
        }
        try? FileManager.default.removeItem(at: home)
    }

    /// Writes the request like `start` does, then supervises it on a dedicated thread (not the test's pool).
    func run(_ request: PodRequest) async throws -> PodResult {
        try await runTimed(request).result
    }

    /// `run`, with the time the supervisor took on its thread: not the time the test's task then waits for a thread
    /// of the test runner's pool to go on (seconds, when other suites hold them all).
    func runTimed(_ request: PodRequest) async throws -> (result: PodResult, duration: Duration) {
        try requireSandboxTools()
        let files = try #require(try executor.writeRequest(request))
        let (result, duration): (PodResult?, Duration) = await withCheckedContinuation { continuation in
            let thread = Thread {
                let started = ContinuousClock.now
                let result = Supervisor.runInProcess(podDirectory: files.directory.url)
                continuation.resume(returning: (result, ContinuousClock.now - started))
            }
            thread.start()
        }
        return (try #require(result), duration)
    }
}

/// The sandbox tests need bubblewrap: fail with the install hint rather than skip.
func requireSandboxTools() throws {
    if ProcessLauncher.which("bwrap") == nil {
        Issue.record("bwrap is not installed; install it with: apt-get install -y bubblewrap")
        throw CancellationError()
    }
    #expect(getuid() == 0, "the sandbox executor needs root (overlay mounts)")
}

/// A pod request with test defaults.
func pod(
    _ name: String = "pod-\(UUID().uuidString.prefix(8).lowercased())", workflowUID: String = "wf-uid-1",
    argv: [String], env: [String: String] = [:], workingDir: String? = nil, mounts: [String] = [],
    workflowVolumes: [Volume] = [], templateVolumes: [Volume] = [], script: String? = nil,
    outputs: [String: String] = [:], deadline: Double? = nil
) throws -> PodRequest {
    PodRequest(
        workflowName: "wf", workflowUID: workflowUID, nodeID: "node-\(name)", podName: name, image: "alpine:3.19",
        argv: argv, env: env, workingDir: workingDir, volumeMounts: try mounts.map(volumeMount),
        workflowVolumes: workflowVolumes, templateVolumes: templateVolumes, scriptSource: script,
        outputParameterPaths: outputs, deadlineSeconds: deadline)
}

/// `VolumeMount` has no public memberwise init: decode it from its manifest JSON.
func volumeMount(_ json: String) throws -> VolumeMount {
    try JSONDecoder().decode(VolumeMount.self, from: Data(json.utf8))
}

func emptyDir(_ name: String) -> Volume { Volume(name: name, source: ["emptyDir": .object([:])]) }

func hostPathVolume(_ name: String, _ path: String) -> Volume {
    Volume(name: name, source: ["hostPath": .object(["path": .string(path), "type": .string("DirectoryOrCreate")])])
}

func sh(_ script: String) -> [String] { ["/bin/sh", "-c", script] }
