import Foundation
import SwirlSpec
import Testing

/// The Argo examples Swirl must run unchanged: every one decodes and lints without errors.
@Suite struct ConformanceExamplesTests {
    static let root = "/work/shared/conformance/examples"

    static func exampleFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { "\(root)/\($0)" }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: root)))
    func everyExampleLintsWithoutErrors() {
        let files = Self.exampleFiles()
        #expect(!files.isEmpty)
        for file in files {
            let errors = Linter.lint(file: file).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: root)))
    func everyExampleDecodes() throws {
        for file in Self.exampleFiles() {
            let documents = try ManifestLoader.load(file: file)
            #expect(!documents.isEmpty, "\(file)")
        }
    }
}
