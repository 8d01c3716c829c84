import Foundation
import SwirlExpr
import SwirlSpec

extension WorkflowEngine {
    /// Resolves the `arguments.artifacts` of an invocation in `scope`: `from`, `fromExpression`, or a location whose
    /// strings are substituted. Artifacts in the local repository are represented key-only (`s3: {key: …}`).
    func artifactArguments(_ artifacts: [Artifact]?, scope: Scope) throws -> [String: Artifact] {
        var resolved: [String: Artifact] = [:]
        for argument in artifacts ?? [] {
            if let artifact = try resolveArtifact(argument, scope: scope) { resolved[argument.name] = artifact }
        }
        return resolved
    }

    /// One artifact reference made concrete: where its bytes are. Nil for an optional artifact with no source.
    func resolveArtifact(_ artifact: Artifact, scope: Scope) throws -> Artifact? {
        var result = artifact
        if let from = artifact.from {
            let reference = from.trimmingCharacters(in: .whitespaces)
            guard reference.hasPrefix("{{"), reference.hasSuffix("}}") else {
                throw EngineError("artifact '\(artifact.name)': from '\(from)' must be a {{…}} reference")
            }
            let name = reference.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
            guard let source = artifactReference(name, scope: scope) else {
                if artifact.optional == true { return nil }
                throw EngineError("artifact '\(artifact.name)': unable to resolve \(from)")
            }
            result = copyLocation(from: source, into: result)
            result.from = nil
            return result
        }
        if let expression = artifact.fromExpression {
            let value = try Expr.evaluate(expression, env: exprEnvironment(scope), now: now)
            guard case .map(let map) = value, case .string(let key)? = map["key"] else {
                if artifact.optional == true { return nil }
                throw EngineError("artifact '\(artifact.name)': fromExpression '\(expression)' gave no artifact")
            }
            result.s3 = .object(["key": .string(key)])
            result.fromExpression = nil
            return result
        }
        result.s3 = try artifact.s3.map { try substituteJSON($0, scope: scope) }
        result.raw = try artifact.raw.map { try substituteJSON($0, scope: scope) }
        result.http = try artifact.http.map { try substituteJSON($0, scope: scope) }
        result.git = try artifact.git.map { try substituteJSON($0, scope: scope) }
        return result
    }

    /// Substitutes `{{…}}` in every string of a JSON value (loop items, artifact locations, volumes).
    func substituteJSON(_ value: JSONValue, scope: Scope) throws -> JSONValue {
        switch value {
        case .string(let text): return .string(try substitute(text, in: scope))
        case .array(let list): return .array(try list.map { try substituteJSON($0, scope: scope) })
        case .object(let object): return .object(try object.mapValues { try substituteJSON($0, scope: scope) })
        default: return value
        }
    }

    func copyLocation(from source: Artifact, into target: Artifact) -> Artifact {
        var result = target
        result.s3 = source.s3
        result.raw = source.raw
        result.http = source.http
        result.git = source.git
        result.gcs = source.gcs
        result.azure = source.azure
        result.oss = source.oss
        result.hdfs = source.hdfs
        result.artifactory = source.artifactory
        if result.archive == nil { result.archive = source.archive }
        return result
    }

    /// `steps.X.outputs.artifacts.Y`, `tasks.X.outputs.artifacts.Y`, `inputs.artifacts.Y`, `workflow.outputs.artifacts.Y`.
    func artifactReference(_ name: String, scope: Scope) -> Artifact? {
        let parts = name.split(separator: ".").map(String.init)
        if parts.count == 3, parts[0] == "inputs", parts[1] == "artifacts" {
            return scope.inputArtifacts.first { $0.name == parts[2] }
        }
        if parts.count == 4, parts[0] == "workflow", parts[1] == "outputs", parts[2] == "artifacts" {
            return status.outputs?.artifacts?.first { $0.name == parts[3] }
        }
        if parts.count == 5, parts[0] == "steps" || parts[0] == "tasks", parts[2] == "outputs", parts[3] == "artifacts",
            let scopeNode = scope.siblingsOf.flatMap({ status.nodes[$0] }),
            let node = siblingNode(parts[1], of: scopeNode)
        {
            return node.outputs?.artifacts?.first { $0.name == parts[4] }
        }
        return nil
    }

    /// The template's input artifacts bound to their sources (an argument of the same name beats the input's own).
    func bindInputArtifacts(_ template: Template, arguments: [String: Artifact], scope: Scope) throws -> [Artifact] {
        var bound: [Artifact] = []
        for input in template.inputs?.artifacts ?? [] {
            var artifact = input
            if let argument = arguments[input.name] {
                artifact = copyLocation(from: argument, into: input)
                if argument.subPath != nil { artifact.subPath = argument.subPath }
                if argument.mode != nil { artifact.mode = argument.mode }
            } else if let own = try resolveArtifact(input, scope: scope) {
                artifact = own
            } else {
                continue
            }
            if !artifact.hasLocation {
                if input.optional == true { continue }
                throw EngineError("inputs.artifacts.\(input.name) was not supplied")
            }
            bound.append(artifact)
        }
        return bound
    }

    /// The transfer of an input artifact for the executor.
    func placement(for artifact: Artifact, path: String) throws -> ArtifactPlacement {
        let source: ArtifactSource
        if case .string(let data)? = artifact.raw?["data"] {
            source = .raw(data)
        } else if case .string(let url)? = artifact.http?["url"] {
            source = .http(url: url)
        } else if case .string(let repo)? = artifact.git?["repo"] {
            var revision: String?
            if case .string(let rev)? = artifact.git?["revision"] { revision = rev }
            var depth: Int?
            if case .number(let d)? = artifact.git?["depth"] { depth = Int(d) }
            source = .git(repo: repo, revision: revision, depth: depth)
        } else if case .string(let key)? = artifact.s3?["key"] {
            source = .repository(key: key)
        } else {
            throw EngineError(
                "artifact '\(artifact.name)': only key-only s3, raw, http and git locations are supported")
        }
        return ArtifactPlacement(
            name: artifact.name, path: path, source: source, mode: artifact.mode, optional: artifact.optional ?? false,
            subPath: artifact.subPath)
    }

    /// The captures of a pod template's output artifacts, with Argo's default key `<wf>/<pod>/<name>.tgz`.
    func captures(for template: Template, podName: String, scope: Scope) throws -> [ArtifactCapture] {
        try (template.outputs?.artifacts ?? []).compactMap { output in
            guard let path = output.path else { return nil }
            let archive: ArchiveFormat
            if output.archive?["none"] != nil {
                archive = .none
            } else if output.archive?["zip"] != nil {
                archive = .zip
            } else {
                archive = .tgz
            }
            var key = "\(name)/\(podName)/\(output.name)" + (archive == .tgz ? ".tgz" : archive == .zip ? ".zip" : "")
            if case .string(let explicit)? = output.s3?["key"] { key = try substitute(explicit, in: scope) }
            return ArtifactCapture(
                name: output.name, path: try substitute(path, in: scope), key: key, archive: archive,
                optional: output.optional ?? false)
        }
    }

    /// Output artifacts of a finished pod, key-only, as they appear in the node's outputs.
    func savedOutputArtifacts(_ template: Template?, saved: [String: String]) -> [Artifact] {
        (template?.outputs?.artifacts ?? []).compactMap { output in
            guard let key = saved[output.name] else { return nil }
            var artifact = output
            artifact.s3 = .object(["key": .string(key)])
            return artifact
        }
    }

    mutating func publishGlobalArtifacts(_ artifacts: [Artifact]) {
        for artifact in artifacts {
            guard let global = artifact.globalName else { continue }
            var outputs = status.outputs ?? Outputs()
            var list = outputs.artifacts ?? []
            list.removeAll { $0.name == global }
            var published = artifact
            published.name = global
            list.append(published)
            outputs.artifacts = list
            status.outputs = outputs
        }
    }
}

extension Artifact {
    /// True when the artifact says where its bytes are.
    var hasLocation: Bool {
        s3 != nil || raw != nil || http != nil || git != nil || gcs != nil || azure != nil || oss != nil
            || hdfs != nil || artifactory != nil || plugin != nil
    }

    /// The artifact as an expression value: `{name, key, path}`.
    var exprValue: ExprValue {
        var map: [String: ExprValue] = ["name": .string(name)]
        if case .string(let key)? = s3?["key"] { map["key"] = .string(key) }
        if let path { map["path"] = .string(path) }
        return .map(map)
    }
}
