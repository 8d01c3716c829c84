import ArgumentParser
import Foundation
import SwirlEngine
import SwirlRender

#if canImport(Glibc)
    import Glibc
#endif

/// `swirl get NAME`: a workflow's header and node tree, or its JSON/YAML.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Display details about a workflow.")

    @Argument(help: "Workflow names (@latest for the newest).") var names: [String]
    @Option(name: [.short, .customLong("output")], help: "Output format: json, yaml, wide, name.") var output: String?
    @Option(name: .long, help: "Only show nodes with this phase.") var status: String?
    @Flag(name: .long, help: "Use ASCII glyphs.") var noUtf8 = false
    @Option(name: .long, help: "Only show nodes matching, e.g. phase=Failed or templateName=build.")
    var nodeFieldSelector: String?

    func run() async throws {
        let context = try CLIContext()
        let selector = try nodeFieldSelector.map { try NodeSelector(parsing: $0) }
        var nodeFilter: (@Sendable (NodeStatus) -> Bool)?
        if let selector {
            nodeFilter = { (node: NodeStatus) -> Bool in selector.matches(node) }
        }
        for name in names {
            if output == "json" {
                let (stored, rows) = try context.workflowForJSON(named: name)
                let object = stored.object
                if let manifest = stored.manifestJSON,
                    try WorkflowJSON.write(
                        manifestJSON: manifest, metadata: object.metadata, status: object.status, rows: rows,
                        to: writeToStandardOutput)
                {
                    writeToStandardOutput(UnsafeBufferPointer(start: [UInt8(ascii: "\n")], count: 1))
                } else {
                    print(try Output.json(try context.workflow(named: name).object))
                }
                CLIContext.keepUntilExit((stored, rows))
                continue
            }
            if output == nil || output == "wide" {
                let (stored, nodes) = try context.workflowForDisplay(named: name)
                let text = WorkflowPrinter.getBytes(
                    stored.object, nodes: nodes, now: Date(), wide: output == "wide", utf8: !noUtf8,
                    statusFilter: status.map { Set($0.split(separator: ",").map(String.init)) },
                    nodeFilter: nodeFilter)
                text.withUnsafeBufferPointer(writeToStandardOutput)
                CLIContext.keepUntilExit(text)
                CLIContext.keepUntilExit((stored, nodes))
                continue
            }
            // Only YAML decodes the templates: the name needs none.
            let stored = try context.workflow(named: name, templates: output == "yaml")
            switch output {
            case "yaml": print(try Output.yaml(stored.object))
            case "name": print(stored.name)
            default: throw CLIError("unknown output format '\(output ?? "")', expected json, yaml, wide or name")
            }
            CLIContext.keepUntilExit(stored)
        }
    }
}

/// `swirl list`: every workflow, newest first.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List workflows.")

    @Option(name: [.short, .customLong("output")], help: "Output format: name, json.") var output: String?
    @Flag(name: .long, help: "Show only running workflows.") var running = false
    @Flag(name: .long, help: "Show only completed workflows.") var completed = false

    func run() async throws {
        let context = try CLIContext()
        // Only JSON prints the templates.
        var workflows = try context.store.listWorkflows(templates: output == "json")
        if running { workflows = workflows.filter { !$0.status.phase.isCompleted } }
        if completed { workflows = workflows.filter { $0.status.phase.isCompleted } }
        switch output {
        case "name": for wf in workflows { print(wf.name) }
        case "json": print(try Output.json(workflows.map(\.object)))
        default: print(WorkflowPrinter.list(workflows.map(\.object), now: Date()), terminator: "")
        }
    }
}

/// Writes bytes straight to file descriptor 1 (after flushing what `print` buffered), retrying short writes.
private func writeToStandardOutput(_ bytes: UnsafeBufferPointer<UInt8>) {
    fflush(nil)
    var offset = 0
    while offset < bytes.count, let base = bytes.baseAddress {
        let written = Glibc.write(1, base + offset, bytes.count - offset)
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return }
        offset += written
    }
}
