import ArgumentParser
import Foundation
import SwirlController
import SwirlEngine
import SwirlRender
import SwirlSpec
import SwirlStore
import Synchronization

/// `swirl submit FILE…`: store workflows and run them.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit workflows from files (or from a stored WorkflowTemplate with --from).")

    @Argument(help: "Workflow manifest files (YAML or JSON).") var files: [String] = []
    @Option(name: [.short, .customLong("parameter")], help: "Workflow parameter name=value (repeatable).")
    var parameters: [String] = []
    @Option(name: .long, help: "Override spec.entrypoint.") var entrypoint: String?
    @Option(name: .long, help: "Override metadata.generateName.") var generateName: String?
    @Option(name: .long, help: "Override metadata.name.") var name: String?
    @Option(name: .long, help: "Submit from a stored template: workflowtemplate/NAME or clusterworkflowtemplate/NAME.")
    var from: String?
    @Flag(name: [.short, .long], help: "Wait for the workflows to finish.") var wait = false
    @Flag(name: .long, help: "Watch the workflow until it finishes.") var watch = false
    @Option(name: [.short, .customLong("output")], help: "Output format: name, json, yaml, wide.") var output: String?
    @Option(
        name: .long,
        help: "Executor: sandbox (default; bubblewrap) or noop (every pod succeeds at once, nothing runs).")
    var executor: String?

    func run() async throws {
        // Before anything is stored: a typo must not submit the workflow and then fail to print it.
        if let output, !["name", "json", "yaml", "wide"].contains(output) {
            throw CLIError("unknown output format '\(output)', expected name, json, yaml or wide")
        }
        let context = try CLIContext()
        var workflows = try loadWorkflows(context: context)
        var rng = SystemRandomNumberGenerator()
        var names: [String] = []
        var pending: [NewWorkflow] = []
        for index in workflows.indices {
            try apply(to: &workflows[index])
            guard let name = NameGenerator.name(for: workflows[index].metadata, using: &rng) else {
                throw CLIError("workflow has neither metadata.name nor metadata.generateName")
            }
            workflows[index].metadata.name = name
            workflows[index].metadata.namespace = workflows[index].metadata.namespace ?? "default"
            workflows[index].kind = "Workflow"
            pending.append(
                NewWorkflow(workflow: workflows[index], uid: UUID().uuidString.lowercased(), createdAt: Date()))
            names.append(name)
            // Stored in transactions of 64 (the first alone), and with many files the background controller starts
            // on the first ones while the rest are stored.
            if index == 0 || index % 64 == 63 || index == workflows.count - 1 {
                try context.store.submit(pending)
                pending = []
                if !wait && !watch && workflows.count > 1 && index < workflows.count - 1 {
                    try BackgroundController.ensureRunning(context.home)
                    context.home.poke("submit")
                }
            }
        }
        if !wait && !watch {
            try BackgroundController.ensureRunning(context.home)
            context.home.poke("submit")
            for name in names {
                if output == "name" {
                    print(name)
                } else {
                    try printSubmitted(try context.workflow(named: name), context: context)
                }
            }
            return
        }
        if watch {
            let screen = WatchScreen()
            let quiet = output != nil
            let finished = try await WorkflowWaiter.wait(for: names, context: context) { stored in
                if !quiet { screen.show(stored) }
            }
            try printFinished(finished, context: context)
        } else if output == "json" || output == "yaml" {
            let finished = try await WorkflowWaiter.wait(for: names, context: context)
            try printFinished(finished, context: context)
        } else {
            if output == "name" {
                for name in names { print(name) }
            } else {
                for name in names { try printSubmitted(try context.workflow(named: name), context: context) }
            }
            // Only the outcomes are printed: reading each workflow back whole (its manifest and every node) took a
            // third of a second after a 30,000-task DAG.
            try await WorkflowWaiter.waitUntilFinished(names, context: context)
            try WorkflowWaiter.printOutcomes(names, context: context, lines: output != "name")
        }
    }

    func printSubmitted(_ stored: StoredWorkflow, context: CLIContext) throws {
        switch output {
        case "name": print(stored.name)
        case "json": print(try Output.json(stored.object))
        case "yaml": print(try Output.yaml(stored.object))
        default:
            print(WorkflowPrinter.get(stored.object, now: Date()), terminator: "")
        }
    }

    func printFinished(_ finished: [StoredWorkflow], context: CLIContext) throws {
        for stored in finished {
            switch output {
            case "json": print(try Output.json(stored.object))
            case "yaml": print(try Output.yaml(stored.object))
            case "name": break
            default: print(WorkflowWaiter.summary(stored))
            }
        }
        if finished.contains(where: { $0.status.phase != .succeeded }) { throw ExitCode(1) }
    }

    /// Reads the manifests (or the `--from` template) as Workflows.
    func loadWorkflows(context: CLIContext) throws -> [Workflow] {
        if let from {
            let parts = from.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw CLIError("--from expects kind/name, e.g. workflowtemplate/my-template")
            }
            let kind: String
            switch parts[0].lowercased() {
            case "workflowtemplate", "wftmpl": kind = "WorkflowTemplate"
            case "clusterworkflowtemplate", "cwftmpl": kind = "ClusterWorkflowTemplate"
            default:
                throw CLIError(
                    "--from: unknown kind '\(parts[0])', expected workflowtemplate or clusterworkflowtemplate")
            }
            guard let stored = try context.store.template(kind: kind, name: parts[1]) else {
                throw CLIError("\(kind) '\(parts[1])' not found")
            }
            var workflow = Workflow(metadata: ObjectMeta(generateName: "\(parts[1])-"), spec: WorkflowSpec())
            var ref = WorkflowTemplateRef()
            ref.name = parts[1]
            ref.clusterScope = kind == "ClusterWorkflowTemplate" ? true : nil
            workflow.spec.workflowTemplateRef = ref
            return [try TemplateResolver.inline(workflow, store: context.store)]
        }
        guard !files.isEmpty else { throw CLIError("nothing to submit: give one or more files, or --from kind/name") }
        var workflows: [Workflow] = []
        for (file, loaded) in zip(files, Self.lintAndLoad(files)) {
            let (diagnostics, documents) = try loaded.get()
            guard let documents else {
                throw CLIError(
                    diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
            }
            for document in documents {
                guard case .workflow(let workflow) = document.manifest, workflow.kind == "Workflow" else {
                    throw CLIError(
                        "\(file): a \(document.manifest.kind) cannot be submitted; use `swirl template create`")
                }
                workflows.append(try TemplateResolver.inline(workflow, store: context.store))
            }
        }
        return workflows
    }

    /// Lints and decodes every file from one parse each, on every core when there are many: all files are checked
    /// before any is stored, so this is the part of a large `submit` during which no workflow runs yet.
    static func lintAndLoad(_ files: [String]) -> [Result<([Diagnostic], [ManifestDocument]?), any Error>] {
        let checker = ExprSyntaxChecker()
        let lanes = files.count < 16 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 8)
        let results = Mutex(
            [Result<([Diagnostic], [ManifestDocument]?), any Error>?](repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for index in stride(from: lane, to: files.count, by: lanes) {
                let result = Result { () throws -> ([Diagnostic], [ManifestDocument]?) in
                    let loaded = try Linter.lintAndLoad(file: files[index], expressions: checker)
                    return (loaded.diagnostics, loaded.documents)
                }
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0 ?? .failure(CLIError("internal error: a file was not read")) } }
    }

    /// Applies -p, --entrypoint, --name, --generate-name.
    func apply(to workflow: inout Workflow) throws {
        if let entrypoint { workflow.spec.entrypoint = entrypoint }
        if let executor {
            guard ["sandbox", "noop"].contains(executor) else {
                throw CLIError("--executor: unknown executor '\(executor)', expected sandbox or noop")
            }
            var annotations = workflow.metadata.annotations ?? [:]
            annotations[Controller.executorAnnotation] = executor
            workflow.metadata.annotations = annotations
        }
        if let generateName {
            workflow.metadata.generateName = generateName
            workflow.metadata.name = nil
        }
        if let name { workflow.metadata.name = name }
        try ParameterOverrides.apply(parameters, to: &workflow)
    }
}
