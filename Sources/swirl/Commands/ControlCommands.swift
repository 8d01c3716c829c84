import ArgumentParser
import Foundation
import SwirlEngine
import SwirlRender
import SwirlSpec
import SwirlStore

/// Sends a command to a running workflow's controller (starting a background controller if none runs).
func sendCommand(_ kind: String, to name: String, payload: CommandPayload = CommandPayload()) throws -> String {
    let context = try CLIContext()
    let stored = try context.workflow(named: name)
    guard !stored.status.phase.isCompleted else {
        throw CLIError("workflow '\(stored.name)' has already completed (\(stored.status.phase.rawValue))")
    }
    if let selector = payload.selector { _ = try NodeSelector(parsing: selector) }
    let data = try JSONEncoder().encode(payload)
    try context.store.enqueueCommand(uid: stored.uid, kind: kind, payload: String(decoding: data, as: UTF8.self))
    try BackgroundController.ensureRunning(context.home)
    context.home.poke(kind)
    return stored.name
}

/// `swirl stop NAME…`: stop scheduling, kill running pods; exit handlers still run.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop workflows (exit handlers still run).")
    @Argument(help: "Workflow names.") var names: [String]
    func run() async throws {
        for name in names { print("workflow \(try sendCommand("stop", to: name)) stopped") }
    }
}

/// `swirl terminate NAME…`: like stop, but exit handlers do not run.
struct TerminateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminate", abstract: "Terminate workflows (nothing more runs, not even exit handlers).")
    @Argument(help: "Workflow names.") var names: [String]
    func run() async throws {
        for name in names { print("workflow \(try sendCommand("terminate", to: name)) terminated") }
    }
}

/// `swirl suspend NAME…`.
struct SuspendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suspend", abstract: "Suspend workflows.")
    @Argument(help: "Workflow names.") var names: [String]
    func run() async throws {
        for name in names { print("workflow \(try sendCommand("suspend", to: name)) suspended") }
    }
}

/// `swirl resume NAME…`: lift a suspension and complete suspend steps.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume workflows.")
    @Argument(help: "Workflow names.") var names: [String]
    @Option(name: .long, help: "Only resume the suspend nodes matching, e.g. displayName=approve.")
    var nodeFieldSelector: String?
    func run() async throws {
        for name in names {
            print(
                "workflow \(try sendCommand("resume", to: name, payload: CommandPayload(selector: nodeFieldSelector))) resumed"
            )
        }
    }
}

/// `swirl node set NAME`: supply outputs to a suspend node, or set a node's phase/message.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Act on a workflow's nodes.", subcommands: [Set.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a node's outputs or phase.")
        @Argument(help: "Workflow name.") var name: String
        @Option(name: .long, help: "Which nodes, e.g. displayName=approve.") var nodeFieldSelector: String
        @Option(name: .long, help: "Phase to set (Succeeded, Failed …).") var phase: String?
        @Option(name: .long, help: "Message to set.") var message: String?
        @Option(
            name: [.customShort("p"), .customLong("output-parameter")],
            help: "Output parameter name=value (repeatable).")
        var outputParameters: [String] = []

        func run() async throws {
            var outputs: [String: String] = [:]
            for pair in outputParameters {
                guard let equals = pair.firstIndex(of: "=") else {
                    throw CLIError("-p expects name=value, got '\(pair)'")
                }
                outputs[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            let phaseToSet = phase ?? (outputs.isEmpty ? nil : "Succeeded")
            let payload = CommandPayload(
                selector: nodeFieldSelector, phase: phaseToSet, message: message, outputParameters: outputs)
            _ = try sendCommand("set", to: name, payload: payload)
            print("workflow values set")
        }
    }
}

/// `swirl retry NAME`: run a failed workflow again, node by node: only what failed runs again.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Retry a failed workflow.")
    @Argument(help: "Workflow names.") var names: [String]
    @Flag(name: .long, help: "Also re-run succeeded nodes matching --node-field-selector.") var restartSuccessful =
        false
    @Option(name: .long, help: "Nodes to re-run with --restart-successful, e.g. templateName=build.")
    var nodeFieldSelector: String?
    @Flag(name: [.short, .long], help: "Wait for the workflows to finish.") var wait = false

    func run() async throws {
        let context = try CLIContext()
        var retried: [String] = []
        let selector = try nodeFieldSelector.map { try NodeSelector(parsing: $0) }
        for name in names {
            let stored = try context.workflow(named: name)
            guard stored.status.phase == .failed || stored.status.phase == .error else {
                throw CLIError(
                    "workflow '\(stored.name)' is \(stored.status.phase.rawValue): only Failed or Error workflows can be retried"
                )
            }
            let (status, deleted) = WorkflowEngine.retryStatus(
                stored.status, workflowName: stored.name, restartSuccessful: restartSuccessful, selector: selector)
            let changed = status.nodes.values.filter { stored.status.nodes[$0.id] != $0 }
            // Pod names are deterministic: the re-run pods reuse them, so their old pod data must go first.
            for podName in deleted.compactMap({ stored.status.nodes[$0]?.podName }) {
                context.layout.removePodFiles(podName)
            }
            try context.store.save(
                StateBatch(
                    uid: stored.uid, status: status, changedNodes: changed, events: ["retry"], deletedNodeIDs: deleted))
            retried.append(stored.name)
            try? FileManager.default.removeItem(at: context.home.finishedDirectory.appendingPathComponent(stored.name))
            print(WorkflowPrinter.get(try context.workflow(named: stored.name).object, now: Date()), terminator: "")
        }
        if wait {
            let finished = try await WorkflowWaiter.wait(for: retried, context: context)
            for stored in finished { print(WorkflowWaiter.summary(stored)) }
            if finished.contains(where: { $0.status.phase != .succeeded }) { throw ExitCode(1) }
        } else {
            try BackgroundController.ensureRunning(context.home)
            context.home.poke("retry")
        }
    }
}

/// `swirl resubmit NAME`: a new workflow from the same manifest; with `--memoized`, one that starts from what the
/// failed workflow already did, so its succeeded steps are not run again (Argo's `resubmit --memoized`).
struct ResubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resubmit", abstract: "Submit a workflow again, as a new workflow.")
    @Argument(help: "Workflow names.") var names: [String]
    @Flag(
        name: .long,
        help:
            "Re-use the outputs of the steps that succeeded (the workflow must be Failed or Error): only the rest runs."
    )
    var memoized = false
    @Flag(name: [.short, .long], help: "Wait for the new workflows to finish.") var wait = false
    @Option(name: [.short, .customLong("output")], help: "Output format: name, json.") var output: String?
    @Option(name: [.short, .customLong("parameter")], help: "Override a workflow parameter: name=value (repeatable).")
    var parameters: [String] = []

    func run() async throws {
        let context = try CLIContext()
        var created: [String] = []
        var rng = SystemRandomNumberGenerator()
        for name in names {
            let stored = try context.workflow(named: name)
            if memoized, stored.status.phase != .failed, stored.status.phase != .error {
                throw CLIError(
                    "workflow '\(stored.name)' is \(stored.status.phase.rawValue): it must be Failed or Error to "
                        + "resubmit in memoized mode")
            }
            var workflow = stored.workflow
            try ParameterOverrides.apply(parameters, to: &workflow)
            workflow.spec.suspend = nil
            workflow.spec.shutdown = nil
            if workflow.spec.activeDeadlineSeconds == 0 { workflow.spec.activeDeadlineSeconds = nil }
            var metadata = workflow.metadata
            metadata.generateName = metadata.generateName ?? "\(stored.name)-"
            metadata.name = nil
            metadata.uid = nil
            metadata.creationTimestamp = nil
            var labels = metadata.labels ?? [:]
            labels["workflows.argoproj.io/resubmitted-from-workflow"] = stored.name
            metadata.labels = labels
            metadata.name = NameGenerator.name(for: metadata, using: &rng)
            workflow.metadata = metadata
            let newName = metadata.name ?? ""
            let uid = UUID().uuidString.lowercased()
            try context.store.submit(workflow, uid: uid, createdAt: Date())
            if memoized { try startFromPreviousRun(stored, newName: newName, uid: uid, context: context) }
            created.append(newName)
            switch output {
            case "name": print(newName)
            case "json": print(try Output.json(try context.workflow(named: newName).object))
            default:
                print(WorkflowPrinter.get(try context.workflow(named: newName).object, now: Date()), terminator: "")
            }
        }
        if wait {
            let finished = try await WorkflowWaiter.wait(for: created, context: context)
            for stored in finished { print(WorkflowWaiter.summary(stored)) }
            if finished.contains(where: { $0.status.phase != .succeeded }) { throw ExitCode(1) }
        } else {
            try BackgroundController.ensureRunning(context.home)
            context.home.poke("resubmit")
        }
    }
}

extension ResubmitCommand {
    /// Gives the just-submitted workflow the nodes of the old one (`WorkflowEngine.memoizedResubmitStatus`). The
    /// CLI holds the new workflow's lease meanwhile, so a running controller cannot start it from scratch first.
    func startFromPreviousRun(_ stored: StoredWorkflow, newName: String, uid: String, context: CLIContext) throws {
        let owner = "swirl-resubmit-\(ProcessInfo.processInfo.processIdentifier)"
        let now = Date()
        guard
            try context.store.acquireLease(
                uid: uid, owner: owner, until: now.addingTimeInterval(60), now: now, replacing: nil)
        else {
            throw CLIError(
                "workflow '\(newName)' was picked up by a controller before its memoized nodes were written; it runs "
                    + "from the start")
        }
        defer { try? context.store.releaseLease(uid: uid, owner: owner) }
        let status = WorkflowEngine.memoizedResubmitStatus(stored.status, from: stored.name, to: newName, now: now)
        try context.store.save(
            StateBatch(
                uid: uid, status: status, changedNodes: Array(status.nodes.values), events: ["resubmitted (memoized)"]))
    }
}
