import Foundation
import SwirlEngine
import Synchronization

/// The clean environment a step sees: a container-like base plus the request's variables.
enum SandboxEnvironment {
    static let basePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// `PATH` (the standard one, then the host's existing extra entries so `python`/`node` shims resolve),
    /// `HOME`, `HOSTNAME`, then `request.env`, which wins, as a container's env wins over its image's.
    static func variables(for request: PodRequest, hostPath: String?) -> [(String, String)] {
        var env = ["PATH": stepPath(hostPath: hostPath), "HOME": "/root", "HOSTNAME": request.podName]
        for (key, value) in request.env { env[key] = value }
        return env.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The step's `PATH` for a host `PATH`, computed once per host `PATH` (it checks each entry on disk).
    static func stepPath(hostPath: String?) -> String {
        let key = hostPath ?? ""
        if let cached = stepPaths.withLock({ $0[key] }) { return cached }
        var entries = basePath.split(separator: ":").map(String.init)
        for entry in key.split(separator: ":").map(String.init)
        where entry.hasPrefix("/") && !entries.contains(entry) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: entry, isDirectory: &isDirectory), isDirectory.boolValue {
                entries.append(entry)
            }
        }
        let path = entries.joined(separator: ":")
        stepPaths.withLock { $0[key] = path }
        return path
    }

    private static let stepPaths = Mutex<[String: String]>([:])
}
