import Foundation
import SwirlExpr
import SwirlSpec

/// `data` templates: list the keys of an artifact location, then transform the list with expressions. The listing
/// runs as a sandboxed step (the location is placed like an input artifact, as `argoexec data` reads it in Argo);
/// the transformations run in the engine and the final list becomes `outputs.result`.
extension WorkflowEngine {
    static let dataMountPath = "/argo/data"

    /// The key prefix of a data template's `source.artifactPaths` (key-only locations of the repository).
    func dataSourceKey(_ data: DataTemplate, scope: Scope) throws -> String {
        guard let paths = data.source?["artifactPaths"] else {
            throw EngineError("data template needs source.artifactPaths")
        }
        for location in ["s3", "gcs", "azure", "oss"] {
            if case .string(let key)? = paths[location]?["key"] { return try substitute(key, in: scope) }
        }
        throw EngineError(
            "data template: source.artifactPaths needs a key (key-only locations of the default repository)")
    }

    /// The listing command and its input artifact.
    func dataListing(_ data: DataTemplate, scope: Scope) throws -> (argv: [String], input: ArtifactPlacement) {
        let key = try dataSourceKey(data, scope: scope)
        let prefix = key.hasSuffix("/") || key.isEmpty ? key : key + "/"
        let escaped = prefix.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "&", with: "\\&")
        let script = "cd \(Self.dataMountPath) && find . -type f | sed 's|^\\./|\(escaped)|' | LC_ALL=C sort"
        let input = ArtifactPlacement(name: "data", path: Self.dataMountPath, source: .repository(key: key))
        return (["sh", "-c", script], input)
    }

    /// Applies the transformations to the listed keys; the result is `outputs.result` (a JSON list).
    func transformData(_ data: DataTemplate, listing: String) throws -> String {
        var value = ExprValue.array(listing.split(separator: "\n").map { .string(String($0)) })
        for step in data.transformation ?? [] {
            guard case .string(let expression)? = step["expression"] else { continue }
            value = try Expr.evaluate(expression, env: ["data": value], now: now)
        }
        return value.jsonText
    }
}
