import Foundation
import SwirlSpec
import Testing

@Suite struct ConfigMapFilesTests {
    @Test func readsEveryConfigMapDocumentAndReportsBadFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {size: "42", replicas: 3}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: ignored}
        ---
        kind: ConfigMap
        metadata: {name: other}
        data: {a: b}
        """.write(to: directory.appendingPathComponent("maps.yaml"), atomically: true, encoding: .utf8)
        try "kind: ConfigMap\n  bad: [".write(
            to: directory.appendingPathComponent("broken.yml"), atomically: true, encoding: .utf8)
        try "not a manifest".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let (maps, problems) = ConfigMapFiles.load(directory: directory)
        #expect(maps == ["settings": ["size": "42", "replicas": "3"], "other": ["a": "b"]])
        #expect(problems.count == 1)
        #expect(problems.first?.contains("broken.yml") == true)
        #expect(ConfigMapFiles.load(directory: directory.appendingPathComponent("none")).configMaps.isEmpty)
    }
}
