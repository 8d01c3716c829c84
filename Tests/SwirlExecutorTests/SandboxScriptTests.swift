import Foundation
import SwirlEngine
import Testing

@testable import SwirlExecutor

/// The sandbox script is written straight into bytes; these tests hold it to the line-by-line form it replaced
/// (kept below as the reference), for every part a request can switch on, and to the shell's syntax.
@Suite("Sandbox script")
struct SandboxScriptTests {
    func script(
        _ request: PodRequest, bindings: [VolumeBinding] = [], doneMarker: String? = "/home/run/done/pod-x"
    ) -> SandboxScript {
        var script = SandboxScript(
            files: PodFiles(LocalPath("/home/it's/pods/\(request.podName)")),
            tools: .init(bwrap: "/usr/bin/bwrap", mount: "/usr/bin/mount"), bindings: bindings, request: request,
            environment: [("A", "it's \"quoted\" $HOME `x`"), ("B", "")])
        script.doneMarker = doneMarker.map(LocalPath.init)
        return script
    }

    func requests() throws -> [(PodRequest, [VolumeBinding])] {
        let plain = try pod("pod-x", argv: ["true"])
        let busy = try pod(
            "pod-y", argv: ["sh", "-c", "echo 'a' > /tmp/o"], workingDir: "/work/dir", script: "print('hi')",
            outputs: ["first": "/tmp/o", "second": "relative/it's"])
        var artifacts = busy
        artifacts.outputArtifacts = [
            ArtifactCapture(name: "out", path: "/work/dir/out.txt", key: "k/out.tgz"),
            ArtifactCapture(name: "bad/name", path: "/x", key: "k/bad.tgz"),
        ]
        let bindings = [
            VolumeBinding(hostPath: "/vol/it's", mountPath: "/work", readOnly: false, createDirectory: true),
            VolumeBinding(hostPath: "/etc/hosts", mountPath: "/etc/hosts", readOnly: true, createDirectory: false),
        ]
        return [(plain, []), (busy, bindings), (artifacts, bindings)]
    }

    @Test func theBytesAreTheLineByLineScript() throws {
        for (request, bindings) in try requests() {
            for marker in [nil, "/home/run/done/it's"] {
                let script = script(request, bindings: bindings, doneMarker: marker)
                #expect(script.render() == Self.reference(script), "\(request.podName), marker \(marker ?? "none")")
            }
        }
    }

    @Test func theShellAcceptsIt() throws {
        for (request, bindings) in try requests() {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("script-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: path) }
            try Data(script(request, bindings: bindings).renderBytes()).write(to: path)
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/bin/sh")
            check.arguments = ["-n", path.path]
            try check.run()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "sh -n rejects the script of \(request.podName)")
        }
    }

    @Test("a direct pod's script records its pid first, and stops before mounting anything if the pod was killed")
    func killedBeforeItStarted() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("script-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let request = try pod("pod-k", argv: ["true"])
        var script = SandboxScript(
            files: PodFiles(LocalPath(root.appendingPathComponent("pods/pod-k"))),
            tools: .init(bwrap: "/bin/false", mount: "/bin/false"), bindings: [], request: request, environment: [])
        script.doneMarker = LocalPath(root.appendingPathComponent("run/done/pod-k"))
        let files = script.files
        try FileIO.makeDirectory(files.status)
        // What `SandboxExecutor.killDirect` leaves when it finds no pid yet.
        try FileIO.write(Data("terminated\n".utf8), to: files.statusError)
        try FileIO.write(script.renderBytes(), to: files.sandboxScript)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = [files.sandboxScript.path]
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == SandboxScript.setupFailureStatus)
        #expect(FileIO.readTrimmed(files.statusStarted) == String(shell.processIdentifier), "its pid, recorded")
        #expect(FileIO.readTrimmed(files.statusError) == "terminated", "the kill's message stands")
        #expect(!FileIO.exists(files.stdoutLog), "the step was not started")
        #expect(!FileIO.exists(files.statusExit))
    }

    /// The script as `render()` built it before it wrote bytes: lines of interpolated strings.
    static func reference(_ script: SandboxScript) -> String {
        func q(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        let files = script.files
        let layer = files.layer.path
        let merged = files.merged.path
        let overlayOptions = "lowerdir=/,upperdir=\(layer)/upper,workdir=\(layer)/work"
        let mount = script.tools.mount
        var lines: [String] = [
            "#!/bin/sh",
            "# Generated by swirl for pod \(q(script.request.podName)): runs in a private mount namespace.",
            "trap ':' TERM INT HUP",
            "STATUS=\(q(files.status.path))",
            "fail() { printf '%s\\n' \"$1\" > \"$STATUS/error\"; \(script.doneMarker.map { ": > \(q($0.path)); " } ?? "")exit 125; }",
            "if ! err=$(\(q(mount)) -t overlay overlay -o \(q(overlayOptions)) \(q(merged)) 2>&1); then",
            "  # The pod directory may be on a filesystem that cannot hold an overlay upper layer: use a tmpfs.",
            "  echo \"swirl: overlay layer on disk failed ($err); using a tmpfs layer\" >&2",
            "  \(q(mount)) -t tmpfs -o mode=0755 swirl-layer \(q(layer)) || fail \"could not mount a tmpfs for the layer after the overlay failed: $err\"",
            "  mkdir -p \(q(layer + "/upper")) \(q(layer + "/work")) || fail 'could not create the overlay directories'",
            "  err2=$(\(q(mount)) -t overlay overlay -o \(q(overlayOptions)) \(q(merged)) 2>&1) || fail \"could not mount the copy-on-write root over /: $err; on a tmpfs: $err2\"",
            "fi",
        ]
        if script.workingDirectory != "/" {
            lines.append("mkdir -p \(q(merged + script.workingDirectory)) 2>/dev/null")
        }
        let command = ([script.tools.bwrap] + script.bwrapArguments).map(q).joined(separator: " \\\n  ")
        lines.append(command + " \\\n  >" + q(files.stdoutLog.path) + " 2>" + q(files.stderrLog.path) + " </dev/null")
        lines.append("echo $? > \"$STATUS/exit\"")
        lines.append(
            "copy() { if [ -f \"$1\" ]; then cat \"$1\" > \"$STATUS/outputs/$3\" 2>/dev/null || echo \"could not read $2\" > \"$STATUS/outputs/$3.missing\"; "
                + "elif [ -e \"$1\" ]; then echo \"$2 is not a regular file\" > \"$STATUS/outputs/$3.missing\"; "
                + "else echo \"no such file: $2\" > \"$STATUS/outputs/$3.missing\"; fi; }")
        for output in script.outputCopies {
            lines.append("copy \(q(output.sourcePath)) \(q(output.stepPath)) \(output.index)")
        }
        let artifacts = script.artifactCopies
        if !artifacts.isEmpty {
            lines.append(
                "save() { if [ -e \"$1\" ] || [ -L \"$1\" ]; then cp -a -- \"$1\" \"$2\" 2>\"$3\" && rm -f \"$3\"; fi; }"
            )
            for artifact in artifacts {
                lines.append("save \(q(artifact.sourcePath)) \(q(artifact.destination)) \(q(artifact.errorFile))")
            }
        }
        if let doneMarker = script.doneMarker {
            lines.insert("echo $$ > \"$STATUS/started\"", at: 5)
            lines.insert("[ -e \"$STATUS/error\" ] && exit 125", at: 6)
            lines.append(": > \(q(doneMarker.path))")
        }
        lines.append("exit 0")
        return lines.joined(separator: "\n") + "\n"
    }
}
