import ArgumentParser
import Foundation
import SwirlSpec
import SwirlStore

/// Shared implementation of `template` and `cluster-template`.
struct TemplateVerbs {
    let kind: String

    func create(files: [String]) throws {
        let context = try CLIContext()
        for file in files {
            let errors = Linter.lint(file: file, expressions: ExprSyntaxChecker()).filter { $0.severity == .error }
            if !errors.isEmpty { throw CLIError(errors.map(\.description).joined(separator: "\n")) }
            for document in try ManifestLoader.load(file: file) {
                guard case .workflow(let workflow) = document.manifest, workflow.kind == kind else {
                    throw CLIError("\(file): expected kind \(kind), found \(document.manifest.kind)")
                }
                guard let name = workflow.metadata.name, !name.isEmpty else {
                    throw CLIError("\(file): \(kind) needs metadata.name")
                }
                try context.store.putTemplate(kind: kind, workflow: workflow, now: Date())
                print("\(kind) '\(name)' created")
            }
        }
    }

    func list() throws {
        let context = try CLIContext()
        print("NAME")
        for template in try context.store.listTemplates(kind: kind) { print(template.name) }
    }

    func get(name: String, output: String?) throws {
        let context = try CLIContext()
        guard let stored = try context.store.template(kind: kind, name: name) else {
            throw CLIError("\(kind) '\(name)' not found")
        }
        if output == "json" {
            print(try Output.json(stored.workflow))
        } else {
            print(try Output.yaml(stored.workflow))
        }
    }

    func delete(names: [String]) throws {
        let context = try CLIContext()
        for name in names {
            guard try context.store.deleteTemplate(kind: kind, name: name) else {
                throw CLIError("\(kind) '\(name)' not found")
            }
            print("\(kind) '\(name)' deleted")
        }
    }
}

struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Manage WorkflowTemplates.",
        subcommands: [Create.self, List.self, Get.self, Delete.self])
    static let verbs = TemplateVerbs(kind: "WorkflowTemplate")

    struct Create: AsyncParsableCommand {
        // Named here: ArgumentParser derives a missing name with `String(describing:)`, whose dynamic casts
        // scan every protocol conformance in the binary, at every start of every command.
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create WorkflowTemplates from files.")
        @Argument var files: [String]
        func run() async throws { try TemplateCommand.verbs.create(files: files) }
    }
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List WorkflowTemplates.")
        func run() async throws { try TemplateCommand.verbs.list() }
    }
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a WorkflowTemplate.")
        @Argument var name: String
        @Option(name: [.short, .customLong("output")]) var output: String?
        func run() async throws { try TemplateCommand.verbs.get(name: name, output: output) }
    }
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete WorkflowTemplates.")
        @Argument var names: [String]
        func run() async throws { try TemplateCommand.verbs.delete(names: names) }
    }
}

struct ClusterTemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster-template", abstract: "Manage ClusterWorkflowTemplates.",
        subcommands: [Create.self, List.self, Get.self, Delete.self])
    static let verbs = TemplateVerbs(kind: "ClusterWorkflowTemplate")

    struct Create: AsyncParsableCommand {
        // Named here: ArgumentParser derives a missing name with `String(describing:)`, whose dynamic casts
        // scan every protocol conformance in the binary, at every start of every command.
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create ClusterWorkflowTemplates from files.")
        @Argument var files: [String]
        func run() async throws { try ClusterTemplateCommand.verbs.create(files: files) }
    }
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List ClusterWorkflowTemplates.")
        func run() async throws { try ClusterTemplateCommand.verbs.list() }
    }
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a ClusterWorkflowTemplate.")
        @Argument var name: String
        @Option(name: [.short, .customLong("output")]) var output: String?
        func run() async throws { try ClusterTemplateCommand.verbs.get(name: name, output: output) }
    }
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Delete ClusterWorkflowTemplates.")
        @Argument var names: [String]
        func run() async throws { try ClusterTemplateCommand.verbs.delete(names: names) }
    }
}
