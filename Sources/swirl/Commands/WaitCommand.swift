import ArgumentParser
import Foundation
import SwirlRender

/// `swirl wait NAME…`: block until the workflows finish (running them if no controller does).
struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for workflows to complete.")

    @Argument(help: "Workflow names.") var names: [String]
    @Flag(name: .long, help: "Do not fail when a workflow does not exist.") var ignoreNotFound = false

    func run() async throws {
        let context = try CLIContext()
        let existing = try context.store.outcomes(named: names)
        var wanted: [String] = []
        for name in names {
            if name != "@latest", existing[name] != nil {
                wanted.append(name)
                continue
            }
            if name != "@latest", ignoreNotFound { continue }
            wanted.append(try context.workflow(named: name, templates: false).name)  // @latest, or the error
        }
        try await WorkflowWaiter.waitUntilFinished(wanted, context: context)
        try WorkflowWaiter.printOutcomes(wanted, context: context)
    }
}

/// `swirl watch NAME`: redraw `get` until the workflow finishes.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Watch a workflow until it completes.")

    @Argument(help: "Workflow name.") var name: String

    func run() async throws {
        let context = try CLIContext()
        let stored = try context.workflow(named: name)
        let screen = WatchScreen()
        _ = try await WorkflowWaiter.wait(for: [stored.name], context: context) { screen.show($0) }
    }
}

/// `swirl delete NAME… | --all`.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete workflows.")

    @Argument(help: "Workflow names.") var names: [String] = []
    @Flag(name: .long, help: "Delete every workflow.") var all = false
    @Flag(name: .long, help: "Delete completed workflows only.") var completed = false

    func run() async throws {
        let context = try CLIContext()
        var targets = try names.map { try context.workflow(named: $0) }
        if all || completed {
            targets = try context.store.listWorkflows(templates: false).filter {
                !completed || $0.status.phase.isCompleted
            }
            .compactMap { try context.store.workflow(uid: $0.uid) }
        }
        if targets.isEmpty && names.isEmpty && !all && !completed {
            throw CLIError("give workflow names, or --all")
        }
        let executor = context.makeExecutor()
        for stored in targets {
            let pods = stored.status.nodes.values.compactMap(\.podName)
            for pod in pods where !stored.status.phase.isCompleted { executor.kill(podName: pod) }
            try context.store.deleteWorkflow(uid: stored.uid)
            executor.removeWorkflowData(workflowUID: stored.uid, podNames: pods)
            print("Workflow '\(stored.name)' deleted")
        }
    }
}
