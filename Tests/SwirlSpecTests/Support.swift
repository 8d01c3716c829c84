import Foundation
import SwirlSpec

/// Fixture files live next to the tests, found from this source file's path (no SwiftPM resources).
enum Fixtures {
    static let directory: String = {
        let here = URL(fileURLWithPath: #filePath)  // …/Tests/SwirlSpecTests/Support.swift
        return here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/lint").path
    }()

    static func path(_ name: String) -> String { "\(directory)/\(name)" }

    static func text(_ name: String) -> String {
        (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
    }

    /// The `.yaml` files of a fixture folder, sorted.
    static func files(in folder: String) -> [String] {
        let dir = "\(directory)/\(folder)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(folder)/\($0)" }
    }

    /// Lints a fixture and returns its diagnostics as printed, with the file shown by its fixture name.
    static func lint(
        _ name: String, knownTemplates: [String: Set<String>] = [:], knownClusterTemplates: [String: Set<String>] = [:]
    ) -> [String] {
        Linter.lint(
            text: text(name), file: name, knownTemplates: knownTemplates, knownClusterTemplates: knownClusterTemplates
        ).map(\.description)
    }
}
