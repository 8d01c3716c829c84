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
        var args: [String] = []
        forEachBwrapArgument { args.append($0) }
        return args
    }

    /// Calls `body` with each of bwrap's arguments in order, without building the list (this runs once per step).
    func forEachBwrapArgument(_ body: (String) -> Void) {
        for arg in ["--bind", files.merged.path, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/run"] {
            body(arg)
        }
        for arg in ["--ro-bind", "/sys", "/sys", "--bind", files.tmp.path, "/tmp"] { body(arg) }
        // /run is a fresh tmpfs: keep DNS working when /etc/resolv.conf points into the host's /run.
        if let resolver = Self.runResolvConf {
            body("--ro-bind")
            body(resolver)
            body(resolver)
        }
        if request.scriptSource != nil {
            body("--ro-bind")
            body(files.scriptFile.path)
            body(Self.stagingScriptPath)
        }
        for binding in bindings {
            body(binding.readOnly ? "--ro-bind" : "--bind")
            body(binding.hostPath)
            body(binding.mountPath)
        }
        for arg in ["--chdir", workingDirectory, "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname"] {
            body(arg)
        }
        body(String(request.podName.prefix(63)))
        body("--die-with-parent")
        body("--clearenv")
        for (key, value) in environment {
            body("--setenv")
            body(key)
            body(value)
        }
        body("--")
        request.argv.forEach(body)
        if request.scriptSource != nil { body(Self.stagingScriptPath) }
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
    func render() -> String { String(decoding: renderBytes(), as: UTF8.self) }

    /// The script text as bytes, written straight into one buffer (this runs once per step; building it from
    /// strings and arrays of lines cost the controller a few percent of its CPU in a fan-out).
    func renderBytes() -> [UInt8] {
        var out = ScriptWriter()
        let layer = files.layer.path
        let merged = files.merged.path
        let overlayOptions = "lowerdir=/,upperdir=\(layer)/upper,workdir=\(layer)/work"
        let mount = tools.mount
        func overlayMount() {
            out.quoted(mount)
            out.raw(" -t overlay overlay -o ")
            out.quoted(overlayOptions)
            out.raw(" ")
            out.quoted(merged)
            out.raw(" 2>&1)")
        }
        out.raw("#!/bin/sh\n# Generated by swirl for pod ")
        out.quoted(request.podName)
        out.raw(": runs in a private mount namespace.\ntrap ':' TERM INT HUP\nSTATUS=")
        out.quoted(files.status.path)
        out.raw("\nfail() { printf '%s\\n' \"$1\" > \"$STATUS/error\"; ")
        if let doneMarker {
            out.raw(": > ")
            out.quoted(doneMarker.path)
            out.raw("; ")
        }
        out.raw("exit \(Self.setupFailureStatus); }\n")
        if doneMarker != nil { out.raw(": > \"$STATUS/started\"\n") }
        out.raw("if ! err=$(")
        overlayMount()
        out.raw(
            "; then\n  # The pod directory may be on a filesystem that cannot hold an overlay upper layer: use a tmpfs.\n"
        )
        out.raw("  echo \"swirl: overlay layer on disk failed ($err); using a tmpfs layer\" >&2\n  ")
        out.quoted(mount)
        out.raw(" -t tmpfs -o mode=0755 swirl-layer ")
        out.quoted(layer)
        out.raw(" || fail \"could not mount a tmpfs for the layer after the overlay failed: $err\"\n  mkdir -p ")
        out.quoted(layer + "/upper")
        out.raw(" ")
        out.quoted(layer + "/work")
        out.raw(" || fail 'could not create the overlay directories'\n  err2=$(")
        overlayMount()
        out.raw(" || fail \"could not mount the copy-on-write root over /: $err; on a tmpfs: $err2\"\nfi\n")
        if workingDirectory != "/" {
            out.words("mkdir -p", [merged + workingDirectory], end: " 2>/dev/null\n")
        }
        out.quoted(tools.bwrap)
        forEachBwrapArgument { argument in
            out.raw(" \\\n  ")
            out.quoted(argument)
        }
        out.raw(" \\\n  >")
        out.quoted(files.stdoutLog.path)
        out.raw(" 2>")
        out.quoted(files.stderrLog.path)
        out.raw(" </dev/null\necho $? > \"$STATUS/exit\"\n")
        out.raw(
            "copy() { if [ -f \"$1\" ]; then cat \"$1\" > \"$STATUS/outputs/$3\" 2>/dev/null || echo \"could not read $2\" > \"$STATUS/outputs/$3.missing\"; "
                + "elif [ -e \"$1\" ]; then echo \"$2 is not a regular file\" > \"$STATUS/outputs/$3.missing\"; "
                + "else echo \"no such file: $2\" > \"$STATUS/outputs/$3.missing\"; fi; }\n")
        for output in outputCopies {
            out.words("copy", [output.sourcePath, output.stepPath], end: " \(output.index)\n")
        }
        let artifacts = artifactCopies
        if !artifacts.isEmpty {
            // Output artifacts: a recursive copy (modes and links kept); a missing path leaves nothing behind.
            out.raw(
                "save() { if [ -e \"$1\" ] || [ -L \"$1\" ]; then cp -a -- \"$1\" \"$2\" 2>\"$3\" && rm -f \"$3\"; fi; }\n"
            )
            for artifact in artifacts {
                out.words("save", [artifact.sourcePath, artifact.destination, artifact.errorFile])
            }
        }
        if let doneMarker { out.words(": >", [doneMarker.path]) }
        out.raw("exit 0\n")
        return out.bytes
    }

}

/// The bytes of a shell script being written: literal text, and values in single quotes.
struct ScriptWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(4096) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// `command`, then each value single-quoted after a space, then `end`.
    mutating func words(_ command: String, _ values: [String], end: String = "\n") {
        raw(command)
        for value in values {
            raw(" ")
            quoted(value)
        }
        raw(end)
    }

    /// `value` single-quoted for the POSIX shell (a quote inside becomes `'\''`).
    mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "'"))
        defer { bytes.append(UInt8(ascii: "'")) }
        // Most values hold no quote: copied whole (a script is a few kilobytes, rendered once per step).
        if !value.utf8.contains(UInt8(ascii: "'")) {
            bytes.append(contentsOf: value.utf8)
            return
        }
        for byte in value.utf8 {
            if byte == UInt8(ascii: "'") {
                bytes.append(contentsOf: "'\\''".utf8)
            } else {
                bytes.append(byte)
            }
        }
    }
}
