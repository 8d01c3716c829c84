import Foundation
import Yams

/// Kubernetes ConfigMaps read from files, since Swirl has no API server: every `kind: ConfigMap` document of the
/// `*.yaml`, `*.yml` and `*.json` files in a directory (`$SWIRL_HOME/configmaps/`), for parameters with
/// `valueFrom.configMapKeyRef`.
public enum ConfigMapFiles {
    /// ConfigMaps by name (their `data`, values as text), and one message per file or document that could not be
    /// read (the rest is still loaded). A missing directory is no ConfigMaps and no error.
    public static func load(directory: URL) -> (configMaps: [String: [String: String]], problems: [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return ([:], []) }
        var configMaps: [String: [String: String]] = [:]
        var problems: [String] = []
        for name in names.sorted() where [".yaml", ".yml", ".json"].contains(where: { name.hasSuffix($0) }) {
            let path = directory.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else {
                problems.append("\(path): cannot read the file")
                continue
            }
            do {
                let parser = try Parser.manifest(text)
                while let document = try parser.nextRoot() {
                    guard document["kind"]?.string == "ConfigMap" else { continue }
                    guard let mapName = document["metadata"]?["name"]?.string else {
                        problems.append("\(path): a ConfigMap without metadata.name")
                        continue
                    }
                    var values: [String: String] = [:]
                    for (key, value) in document["data"]?.mapping ?? [:] {
                        guard let key = key.string, let text = value.scalar?.string else { continue }
                        values[key] = text
                    }
                    configMaps[mapName] = values
                }
            } catch {
                problems.append("\(path): not valid YAML: \(error)")
            }
        }
        return (configMaps, problems)
    }
}
