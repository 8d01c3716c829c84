import Foundation

/// Where Swirl keeps its state: `$SWIRL_HOME`, default `~/.swirl`.
public struct SwirlHome: Sendable {
    public var url: URL

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let path = environment["SWIRL_HOME"], !path.isEmpty {
            url = URL(fileURLWithPath: path, isDirectory: true)
        } else {
            url = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".swirl", isDirectory: true)
        }
    }

    public init(url: URL) { self.url = url }

    public var databasePath: String { url.appendingPathComponent("swirl.sqlite").path }
    /// Markers dropped here wake the controller (new submissions, commands).
    public var wakeDirectory: URL { url.appendingPathComponent("run/wake", isDirectory: true) }
    /// Held (flock) by the running background controller.
    public var controllerLock: URL { url.appendingPathComponent("run/controller.lock") }
    public var controllerLog: URL { url.appendingPathComponent("run/controller.log") }

    /// A marker per finished workflow (its name), for waiters in other processes.
    public var finishedDirectory: URL { url.appendingPathComponent("run/finished", isDirectory: true) }

    /// Creates the directories.
    public func prepare() throws {
        for dir in [url, wakeDirectory, finishedDirectory] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
    }

    /// Semaphore capacities (there are no ConfigMaps): `$SWIRL_HOME/semaphores.json`, e.g.
    /// `{"my-config/workflow": 2}` for `configMapKeyRef {name: my-config, key: workflow}`; 1 when not listed.
    public var semaphoresFile: URL { url.appendingPathComponent("semaphores.json") }

    /// The capacity of a semaphore lock named `semaphore:NAMESPACE/CONFIGMAP/KEY` (or `…/KEY` for database ones).
    public func semaphoreLimit(_ lockName: String) -> Int {
        guard let data = FileManager.default.contents(atPath: semaphoresFile.path),
            let limits = try? JSONDecoder().decode([String: Int].self, from: data)
        else { return 1 }
        let parts = lockName.split(separator: "/").map(String.init)
        let short = parts.dropFirst().joined(separator: "/")
        return limits[short] ?? limits[lockName] ?? limits[parts.last ?? ""] ?? 1
    }

    /// Kubernetes ConfigMap manifests (`kind: ConfigMap`), for parameters' `valueFrom.configMapKeyRef`.
    public var configMapsDirectory: URL { url.appendingPathComponent("configmaps", isDirectory: true) }

    /// Leaves the finished marker of a workflow.
    public func announceFinished(_ name: String) {
        Self.touch(finishedDirectory.appendingPathComponent(name))
    }

    /// Creates an empty marker file with one `open` (FileManager's createFile writes a temporary file, syncs it and
    /// renames it: milliseconds on the path to a waiting `submit --wait`).
    static func touch(_ url: URL) {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if fd >= 0 { close(fd) }
    }

    /// Tells any controller of this home to look for work.
    public func poke(_ reason: String) {
        let marker = wakeDirectory.appendingPathComponent("\(reason)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        Self.touch(marker)
    }
}
