import Foundation
import SwirlEngine
import SwirlSpec

/// One bind mount of the sandbox: a host path shown at `mountPath` inside the step.
struct VolumeBinding: Sendable, Equatable {
    var hostPath: String
    var mountPath: String
    var readOnly: Bool
    /// Whether the host path is a directory the executor creates (false for `hostPath` volumes of a file).
    var createDirectory: Bool
}

/// Turns a pod's `volumeMounts` into host bind mounts, with Kubernetes' lookup order and Swirl's storage rules.
struct VolumeResolver {
    let layout: SandboxLayout
    let files: PodFiles

    /// A volume mount that cannot be satisfied; the pod fails with an Error naming it.
    struct Failure: Error, CustomStringConvertible, Equatable {
        var description: String
    }

    /// The binds for `request`, sorted so that outer mount paths are bound before nested ones.
    func bindings(for request: PodRequest) throws -> [VolumeBinding] {
        var result: [VolumeBinding] = []
        for mount in request.volumeMounts {
            let mountPath = Self.normalize(mount.mountPath)
            guard mountPath.hasPrefix("/"), mountPath != "/" else {
                throw Failure(
                    description:
                        "volume mount \"\(mount.name)\": mountPath \"\(mount.mountPath)\" must be an absolute path other than /"
                )
            }
            var (base, isDirectory) = try hostLocation(of: mount.name, request: request)
            if let sub = subPath(mount, env: request.env), !sub.isEmpty {
                let parts = sub.split(separator: "/").map(String.init)
                if parts.contains("..") || sub.hasPrefix("/") {
                    throw Failure(
                        description:
                            "volume mount \"\(mount.name)\": subPath \"\(sub)\" must be a relative path without '..'")
                }
                base = (base as NSString).appendingPathComponent(parts.joined(separator: "/"))
                isDirectory = true
            }
            result.append(
                VolumeBinding(
                    hostPath: base, mountPath: mountPath, readOnly: mount.readOnly ?? false,
                    createDirectory: isDirectory))
        }
        return result.sorted { $0.mountPath.split(separator: "/").count < $1.mountPath.split(separator: "/").count }
    }

    /// Where a named volume lives on the host: template volumes first, then the workflow's.
    private func hostLocation(of name: String, request: PodRequest) throws -> (String, Bool) {
        if let volume = request.templateVolumes.first(where: { $0.name == name }) {
            if volume.source["emptyDir"] != nil {
                try checkName(name)
                return (files.volumes.appendingPathComponent(name, isDirectory: true).path, true)
            }
            return try location(of: volume, request: request)
        }
        if let volume = request.workflowVolumes.first(where: { $0.name == name }) {
            return try location(of: volume, request: request)
        }
        throw Failure(description: "volume \"\(name)\" not found: no template or workflow volume has that name")
    }

    private func location(of volume: Volume, request: PodRequest) throws -> (String, Bool) {
        if case .object(let hostPath)? = volume.source["hostPath"] {
            guard case .string(let path)? = hostPath["path"], path.hasPrefix("/") else {
                throw Failure(description: "volume \"\(volume.name)\": hostPath.path must be an absolute path")
            }
            var type = ""
            if case .string(let t)? = hostPath["type"] { type = t }
            return (path, type == "DirectoryOrCreate")
        }
        try checkName(volume.name)
        try checkName(request.workflowUID)
        return (layout.workflowVolume(workflowUID: request.workflowUID, name: volume.name).path, true)
    }

    private func checkName(_ name: String) throws {
        do { try ExecutorError.validate(name, kind: "volume") } catch { throw Failure(description: "\(error)") }
    }

    /// `subPath`, or `subPathExpr` with `$(VAR)` expanded from the pod's environment.
    private func subPath(_ mount: VolumeMount, env: [String: String]) -> String? {
        if let sub = mount.subPath { return sub }
        guard var expr = mount.subPathExpr else { return nil }
        for (key, value) in env { expr = expr.replacingOccurrences(of: "$(\(key))", with: value) }
        return expr
    }

    /// `/a//b/` → `/a/b`.
    static func normalize(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}
