import ArgumentParser
import Foundation
import SwirlSpec

/// `swirl lint FILE…`: precise diagnostics, exit 1 on any error.
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lint", abstract: "Validate workflow manifests.")

    @Argument(help: "Files or directories to lint.") var paths: [String]
    @Flag(name: .long, help: "Treat warnings as errors.") var strict = false

    func run() async throws {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("\(path): no such file or directory")
            }
            if isDirectory.boolValue {
                let items = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
                files += items.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
                    .sorted().map { "\(path)/\($0)" }
            } else {
                files.append(path)
            }
        }
        var failed = false
        for file in files {
            for diagnostic in Linter.lint(file: file, expressions: ExprSyntaxChecker()) {
                print(diagnostic.description)
                if diagnostic.severity == .error || strict { failed = true }
            }
        }
        if failed { throw ExitCode(1) }
        print("✔ no linting errors found!")
    }
}
