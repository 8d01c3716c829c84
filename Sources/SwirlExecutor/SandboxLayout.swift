import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the sandbox executor keeps its files under `$SWIRL_HOME`; shared by the controller and the supervisor.
public struct SandboxLayout: Sendable, Hashable {
    /// `$SWIRL_HOME`.
    public var home: URL
    /// One directory per supervised pod: request, supervisor lock, result, staged artifacts, template volumes.
    public var podsDirectory: URL
    /// Every pod's logs: `<podName>.stdout.log` and `<podName>.stderr.log`.
    public var logsDirectory: URL
    /// An empty file per finished pod, named after it; the controller watches this directory.
    public var doneDirectory: URL
    /// Workflow-level volumes: `<volumesDirectory>/<workflowUID>/<volumeName>`.
    public var volumesDirectory: URL
    /// The local artifact repository's root: the object under key `wf/pod/out.tgz` is `<artifactsDirectory>/wf/pod/out.tgz`.
    public var artifactsDirectory: URL

    /// The name of `logsDirectory` under the home.
    static let logsDirectoryName = "logs"

    /// `podsDirectory`, `doneDirectory` and `logsDirectory` as plain paths, for the paths built on every step.
    let podsPath: LocalPath
    let donePath: LocalPath
    let logsPath: LocalPath
    /// `home` as a plain path (`URL.path` parses on every call; a step's environment names it).
    let homePath: String

    /// The layout under `home` (`$SWIRL_HOME`).
    public init(home: URL) {
        self.home = home.standardizedFileURL
        podsDirectory = self.home.appendingPathComponent("pods", isDirectory: true)
        logsDirectory = self.home.appendingPathComponent(Self.logsDirectoryName, isDirectory: true)
        doneDirectory = self.home.appendingPathComponent("run/done", isDirectory: true)
        podsPath = LocalPath(podsDirectory)
        donePath = LocalPath(doneDirectory)
        logsPath = LocalPath(logsDirectory)
        homePath = self.home.path
        volumesDirectory = self.home.appendingPathComponent("volumes", isDirectory: true)
        artifactsDirectory = self.home.appendingPathComponent("artifacts", isDirectory: true)
    }

    /// The layout a pod directory belongs to (`<home>/pods/<podName>`), for the supervisor, which only gets the pod path.
    init(podDirectory: URL) {
        self.init(home: podDirectory.standardizedFileURL.deletingLastPathComponent().deletingLastPathComponent())
    }

    /// The directory of one pod.
    public func podDirectory(_ podName: String) -> URL {
        podsDirectory.appendingPathComponent(podName, isDirectory: true)
    }

    /// The directory of one pod, as a plain path.
    func podPath(_ podName: String) -> LocalPath { podsPath.appendingPathComponent(podName) }

    /// The files of one pod.
    func podFiles(_ podName: String) -> PodFiles { PodFiles(podPath(podName)) }

    /// The step's standard output, written as the step runs.
    public func stdoutLog(_ podName: String) -> URL {
        podFiles(podName).stdoutLog.url
    }

    /// The step's standard error, written as the step runs.
    public func stderrLog(_ podName: String) -> URL {
        podFiles(podName).stderrLog.url
    }

    /// Where the step's standard output is: `stdoutLog`, or in the pod directory for a pod run by an older Swirl
    /// (before the logs had a directory of their own).
    public func existingStdoutLog(_ podName: String) -> URL {
        let current = stdoutLog(podName)
        let earlier = podDirectory(podName).appendingPathComponent("stdout.log", isDirectory: false)
        return !FileIO.exists(current) && FileIO.exists(earlier) ? earlier : current
    }

    /// Removes everything this home holds for one pod (its directory, scratch space, logs and markers), so that a
    /// pod of the same name can run again (`swirl retry`) or the workflow is gone (`swirl delete`).
    public func removePodFiles(_ podName: String) {
        guard (try? ExecutorError.validate(podName, kind: "pod")) != nil else { return }
        let files = podFiles(podName)
        ScratchSpace.remove(files, evenIfKept: true)
        FileIO.remove(files.directory)
        for file in [files.stdoutLog, files.stderrLog, doneMarker(podName), readyMarker(podName)] {
            unlink(file.path)
        }
    }

    /// The done marker of one pod.
    func doneMarker(_ podName: String) -> LocalPath {
        donePath.appendingPathComponent(podName)
    }

    /// Ends the name of a daemon's readiness marker, which sits next to the done markers (`POD.ready`), so the
    /// controller's one watch sees both.
    public static let readySuffix = ".ready"

    /// The readiness marker of a daemon pod, created once its readiness probe passes.
    func readyMarker(_ podName: String) -> LocalPath {
        donePath.appendingPathComponent(podName + Self.readySuffix)
    }

    /// The host directory of a workflow-level volume.
    func workflowVolume(workflowUID: String, name: String) -> URL {
        volumesDirectory.appendingPathComponent(workflowUID, isDirectory: true)
            .appendingPathComponent(name, isDirectory: true)
    }
}
