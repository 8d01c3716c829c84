import Foundation
import SwirlEngine

/// The shell script that runs inside a private mount namespace (`unshare -m --propagation private`): it mounts the
/// copy-on-write root, runs the step under bwrap with its output going straight to the log files, records the exit
/// status and copies the output parameter files and output artifacts out of the step's view before the namespace
/// (and mount) vanish. Input artifacts, staged by the supervisor, are bind-mounted like volumes.
///
/// Generating a script keeps the privileged, namespace-bound part in one process whose death unmounts everything,
/// while the Swift supervisor stays in the host namespace and can run in-process for tests.
struct SandboxScript {
    /// Where the sandbox's own tools are on the host.
    struct Tools {
        var bwrap: String
        var mount: String
    }

    /// An output parameter to copy: where it is in the script's (host-like) view and where to put the copy.
    struct OutputCopy {
        var index: Int
        var stepPath: String
        var sourcePath: String
    }

    /// The in-sandbox path of a script template's source, as in Argo.
    static let stagingScriptPath = "/argo/staging/script"
    static let setupFailureStatus: Int32 = 125

    let files: PodFiles
    let tools: Tools
    let bindings: [VolumeBinding]
    let request: PodRequest
    let environment: [(String, String)]
    /// Direct launch (no supervisor): the script records its start and creates this marker when done.
    var doneMarker: LocalPath?

    /// bwrap's argument list (without `bwrap` itself).
    var bwrapArguments: [String] {
        var args = [
            "--bind", files.merged.path, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/run",
            "--ro-bind", "/sys", "/sys", "--bind", files.tmp.path, "/tmp",
        ]
        // /run is a fresh tmpfs: keep DNS working when /etc/resolv.conf points into the host's /run.
        if let resolver = Self.runResolvConf {
            args += ["--ro-bind", resolver, resolver]
        }
        if request.scriptSource != nil {
            args += ["--ro-bind", files.scriptFile.path, Self.stagingScriptPath]
        }
        for binding in bindings {
            args += [binding.readOnly ? "--ro-bind" : "--bind", binding.hostPath, binding.mountPath]
        }
        args += [
            "--chdir", workingDirectory, "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--hostname", String(request.podName.prefix(63)), "--die-with-parent", "--clearenv",
        ]
        for (key, value) in environment { args += ["--setenv", key, value] }
        args.append("--")
        args += request.argv
        if request.scriptSource != nil { args.append(Self.stagingScriptPath) }
        return args
    }

    /// The host's resolver file when `/etc/resolv.conf` is a link into `/run` (systemd-resolved), else nil; looked
    /// up once per process.
    static let runResolvConf: String? = {
        let resolved = URL(fileURLWithPath: "/etc/resolv.conf").resolvingSymlinksInPath().path
        return resolved.hasPrefix("/run/") && FileManager.default.fileExists(atPath: resolved) ? resolved : nil
    }()

    var workingDirectory: String { Self.workingDirectory(for: request) }

    /// The step's working directory: the request's when absolute, else `/`.
    static func workingDirectory(for request: PodRequest) -> String {
        guard let dir = request.workingDir, dir.hasPrefix("/") else { return "/" }
        return VolumeResolver.normalize(dir)
    }

    /// An output artifact to copy out of the step's view: its path there, where that is from the script, and the
    /// copy's destination `artifacts/out/<name>/<base name>` (errors go to `artifacts/errors/<name>`).
    struct ArtifactCopy {
        var stepPath: String
        var sourcePath: String
        var destination: String
        var errorFile: String
    }

    /// The output artifacts to copy; those with an invalid name or path are left to `OutputArtifacts` to report.
    var artifactCopies: [ArtifactCopy] {
        request.outputArtifacts.compactMap { capture in
            guard (try? ArtifactPaths.checkName(capture.name)) != nil,
                let stepPath = try? ArtifactPaths.stepPath(capture.path, workingDirectory: workingDirectory)
            else { return nil }
            let base = (stepPath as NSString).lastPathComponent
            return ArtifactCopy(
                stepPath: stepPath, sourcePath: hostView(of: stepPath),
                destination: files.artifactOut(capture.name).appendingPathComponent(base).path,
                errorFile: files.artifactCopyError(capture.name).path)
        }
    }

    /// Where each output parameter path is, seen from the script: a volume's host directory, the pod's `/tmp`,
    /// or the overlay root.
    var outputCopies: [OutputCopy] {
        request.outputParameterPaths.keys.sorted().enumerated().compactMap { index, name in
            guard let path = request.outputParameterPaths[name] else { return nil }
            return OutputCopy(index: index, stepPath: path, sourcePath: hostView(of: path))
        }
    }

    /// Maps an absolute path in the step's view to the same file in the supervisor's mount namespace.
    func hostView(of stepPath: String) -> String {
        let absolute = stepPath.hasPrefix("/") ? stepPath : workingDirectory + "/" + stepPath
        let path = VolumeResolver.normalize(absolute)
        // The innermost mount wins, as in the step's view.
        let mounts = bindings.map { ($0.mountPath, $0.hostPath) } + [("/tmp", files.tmp.path)]
        let match =
            mounts
            .filter { path == $0.0 || path.hasPrefix($0.0 + "/") }
            .max { $0.0.count < $1.0.count }
        if let (mountPath, hostPath) = match {
            return hostPath + path.dropFirst(mountPath.count)
        }
        return files.merged.path + path
    }

    /// The script text; every value is single-quoted.
    func render() -> String {
        let layer = files.layer.path
        let merged = files.merged.path
        let overlayOptions = "lowerdir=/,upperdir=\(layer)/upper,workdir=\(layer)/work"
        var lines: [String] = [
            "#!/bin/sh",
            "# Generated by swirl for pod \(q(request.podName)): runs in a private mount namespace.",
            "trap ':' TERM INT HUP",
            "STATUS=\(q(files.status.path))",
            "fail() { printf '%s\\n' \"$1\" > \"$STATUS/error\"; \(doneMarker.map { ": > \(q($0.path)); " } ?? "")exit \(Self.setupFailureStatus); }",
            "if ! err=$(\(q(tools.mount)) -t overlay overlay -o \(q(overlayOptions)) \(q(merged)) 2>&1); then",
            "  # The pod directory may be on a filesystem that cannot hold an overlay upper layer: use a tmpfs.",
            "  echo \"swirl: overlay layer on disk failed ($err); using a tmpfs layer\" >&2",
            "  \(q(tools.mount)) -t tmpfs -o mode=0755 swirl-layer \(q(layer)) || fail \"could not mount a tmpfs for the layer after the overlay failed: $err\"",
            "  mkdir -p \(q(layer + "/upper")) \(q(layer + "/work")) || fail 'could not create the overlay directories'",
            "  err2=$(\(q(tools.mount)) -t overlay overlay -o \(q(overlayOptions)) \(q(merged)) 2>&1) || fail \"could not mount the copy-on-write root over /: $err; on a tmpfs: $err2\"",
            "fi",
        ]
        if workingDirectory != "/" {
            lines.append("mkdir -p \(q(merged + workingDirectory)) 2>/dev/null")
        }
        let command = ([tools.bwrap] + bwrapArguments).map(q).joined(separator: " \\\n  ")
        lines.append(command + " \\\n  >" + q(files.stdoutLog.path) + " 2>" + q(files.stderrLog.path) + " </dev/null")
        lines.append("echo $? > \"$STATUS/exit\"")
        lines.append(
            "copy() { if [ -f \"$1\" ]; then cat \"$1\" > \"$STATUS/outputs/$3\" 2>/dev/null || echo \"could not read $2\" > \"$STATUS/outputs/$3.missing\"; "
                + "elif [ -e \"$1\" ]; then echo \"$2 is not a regular file\" > \"$STATUS/outputs/$3.missing\"; "
                + "else echo \"no such file: $2\" > \"$STATUS/outputs/$3.missing\"; fi; }")
        for output in outputCopies {
            lines.append("copy \(q(output.sourcePath)) \(q(output.stepPath)) \(output.index)")
        }
        let artifacts = artifactCopies
        if !artifacts.isEmpty {
            // Output artifacts: a recursive copy (modes and links kept); a missing path leaves nothing behind.
            lines.append(
                "save() { if [ -e \"$1\" ] || [ -L \"$1\" ]; then cp -a -- \"$1\" \"$2\" 2>\"$3\" && rm -f \"$3\"; fi; }"
            )
            for artifact in artifacts {
                lines.append("save \(q(artifact.sourcePath)) \(q(artifact.destination)) \(q(artifact.errorFile))")
            }
        }
        if let doneMarker {
            lines.insert(": > \"$STATUS/started\"", at: 5)
            lines.append(": > \(q(doneMarker.path))")
        }
        lines.append("exit 0")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Single-quotes a value for the POSIX shell.
    func q(_ value: String) -> String {
        guard value.utf8.contains(UInt8(ascii: "'")) else { return "'" + value + "'" }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
