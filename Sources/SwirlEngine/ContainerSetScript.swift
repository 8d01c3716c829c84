import Foundation
import SwirlSpec

/// Runs a `containerSet` in one sandbox: a shell script that starts the containers in waves that respect their
/// `dependencies` (containers of a wave run in parallel), stops at the first failure, and exits with it.
/// The container named `main` writes to stdout (`outputs.result`); the others write to stderr.
enum ContainerSetScript {
    static func render(_ containers: [Container], substitute: (String) throws -> String) throws -> String {
        var remaining = containers
        var done = Set<String>()
        var lines = ["d=$(mktemp -d)", "rc=0"]
        while !remaining.isEmpty {
            let wave = remaining.filter { ($0.dependencies ?? []).allSatisfy(done.contains) }
            guard !wave.isEmpty else {
                let names = remaining.compactMap(\.name).joined(separator: ", ")
                throw EngineError("containerSet dependencies form a cycle or name unknown containers: \(names)")
            }
            for (index, container) in wave.enumerated() {
                let name = container.name ?? "c\(index)"
                var command = try ((container.command ?? []) + (container.args ?? [])).map { quote(try substitute($0)) }
                if command.isEmpty { throw EngineError("container '\(name)' has no command") }
                let env = try (container.env ?? []).map { "\($0.name)=\(quote(try substitute($0.value ?? "")))" }
                if !env.isEmpty { command = ["env"] + env + command }
                let cd = try container.workingDir.map { "cd \(quote(try substitute($0))) && " } ?? ""
                let output = name == "main" ? "" : " 1>&2"
                lines.append("( \(cd)exec \(command.joined(separator: " ")) )\(output); echo $? > \"$d/\(name).rc\" &")
            }
            lines.append("wait")
            for container in wave {
                let name = container.name ?? ""
                lines.append(
                    "r=$(cat \"$d/\(name).rc\"); [ \"$r\" = 0 ] || { echo \"container \(name) failed with exit code $r\" 1>&2; exit \"$r\"; }"
                )
                done.insert(name)
            }
            remaining.removeAll { container in wave.contains { $0.name == container.name } }
        }
        lines.append("exit 0")
        return lines.joined(separator: "\n")
    }

    /// Single-quotes a word for sh.
    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Wraps a pod's main command with its `initContainers` (run first, in order; a failure stops the pod with its
    /// exit code) and `sidecars` (started in the background, stopped when the main command ends). The main command
    /// comes as the script's arguments (`"$@"`), so a script template's source path can still be appended.
    static func wrap(
        main argv: [String], initContainers: [Container], sidecars: [Container], substitute: (String) throws -> String
    ) throws -> [String] {
        func command(_ container: Container) throws -> String {
            var words = try ((container.command ?? []) + (container.args ?? [])).map { quote(try substitute($0)) }
            if words.isEmpty { throw EngineError("container '\(container.name ?? "")' has no command") }
            let env = try (container.env ?? []).map { "\($0.name)=\(quote(try substitute($0.value ?? "")))" }
            if !env.isEmpty { words = ["env"] + env + words }
            let cd = try container.workingDir.map { "cd \(quote(try substitute($0))) && " } ?? ""
            return "( \(cd)exec \(words.joined(separator: " ")) )"
        }
        var lines: [String] = ["pids="]
        for container in initContainers {
            let name = container.name ?? "init"
            lines.append(
                "\(try command(container)) 1>&2 || { rc=$?; echo \"init container \(name) failed with exit code $rc\" 1>&2; exit $rc; }"
            )
        }
        for container in sidecars {
            lines.append("\(try command(container)) >/dev/null 2>&1 & pids=\"$pids $!\"")
        }
        lines.append("\"$@\"; rc=$?")
        lines.append("for p in $pids; do kill $p 2>/dev/null; done")
        lines.append("exit $rc")
        return ["sh", "-c", lines.joined(separator: "\n"), "main"] + argv
    }
}
