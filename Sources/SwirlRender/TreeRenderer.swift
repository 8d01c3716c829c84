import Foundation
import SwirlEngine
import SwirlSpec

/// Draws the node table of `argo get` (a port of `renderNodes`/`renderChild`/`printNode` in Argo's
/// `cmd/argo/commands/common/get.go`).
struct TreeRenderer {
    let wf: WorkflowObject
    let now: Date
    let wide: Bool
    let utf8: Bool
    let statusFilter: Set<String>?
    /// `--node-field-selector`: nodes it rejects are hidden like `--status` hides them.
    var nodeFilter: (@Sendable (NodeStatus) -> Bool)?
    private var rows: [[String]] = []

    init(wf: WorkflowObject, now: Date, wide: Bool, utf8: Bool, statusFilter: Set<String>?) {
        self.wf = wf
        self.now = now
        self.wide = wide
        self.utf8 = utf8
        self.statusFilter = statusFilter
    }

    /// The aligned table: header, main tree, then (after a blank row) the onExit tree.
    func render() -> String {
        var copy = self
        return copy.build()
    }

    private mutating func build() -> String {
        let name = wf.metadata.name ?? ""
        let onExitName = "\(name).onExit"
        let nodes = wf.status.nodes
        let onExitID = nodes.indices.first { nodes.values[$0].name == onExitName }.map { nodes.keys[$0] }
        let tree = NodeTree(nodes: wf.status.nodes, forcedRoots: onExitID.map { [$0] } ?? [])
        rows = [
            wide
                ? ["STEP", "TEMPLATE", "PODNAME", "DURATION", "ARTIFACTS", "MESSAGE", "RESOURCESDURATION", "NODENAME"]
                : ["STEP", "TEMPLATE", "PODNAME", "DURATION", "MESSAGE"]
        ]
        renderNode(tree, name, nodePrefix: " ", childPrefix: " ")
        if let onExitID, tree.roots.contains(onExitID) {
            rows.append(["", "", "", "", "", ""])
            renderNode(tree, onExitID, nodePrefix: " ", childPrefix: " ")
        }
        return TabWriter(padding: 2, trimsLineEnds: true).format(rows: rows)
    }

    /// Argo's `filterNode`: (hidden, children get group brackets).
    private func filter(_ node: NodeStatus) -> (hidden: Bool, indentChildren: Bool) {
        if node.type == .retry, (node.children ?? []).count == 1 { return (true, false) }
        if node.type == .stepGroup { return (true, true) }
        if node.phase == .omitted { return (true, false) }
        if let statusFilter, !statusFilter.contains(node.phase.rawValue) { return (true, false) }
        if let nodeFilter, !nodeFilter(node) { return (true, false) }
        return (false, false)
    }

    private mutating func renderNode(_ tree: NodeTree, _ id: String, nodePrefix: String, childPrefix: String) {
        // Read in place, not copied: see `NodeTree.nodes`.
        guard let index = tree.position[id] else { return }
        let (hidden, indent) = filter(tree.nodes[index])
        if !hidden { printNode(tree.nodes[index], prefix: nodePrefix) }
        let kids = tree.children[id] ?? []
        for (index, child) in kids.enumerated() {
            let (part, sub) = glyphs(parentHidden: hidden, indent: indent, index: index, last: kids.count - 1)
            let childNodePrefix: String
            if !hidden || index != 0 {
                childNodePrefix = childPrefix + part
            } else {
                childNodePrefix = nodePrefix + part
            }
            renderNode(tree, child, nodePrefix: childNodePrefix, childPrefix: childPrefix + sub)
        }
    }

    /// Argo's `renderChild` glyph choice: (prefix for the child's row, prefix added for its children).
    private func glyphs(parentHidden: Bool, indent: Bool, index: Int, last: Int) -> (String, String) {
        if parentHidden && indent {
            if last == 0 { return utf8 ? ("──", "  ") : ("--", "  ") }
            if index == 0 { return utf8 ? ("┬─", "│ ") : ("+-", "| ") }
            if index == last { return utf8 ? ("└─", "  ") : ("`-", "  ") }
            return utf8 ? ("├─", "│ ") : ("|-", "| ")
        }
        if !parentHidden {
            if index == last { return utf8 ? ("└─", "  ") : ("`-", "  ") }
            return utf8 ? ("├─", "│ ") : ("|-", "| ")
        }
        return ("", "")
    }

    private func icon(_ node: NodeStatus) -> String {
        if node.type == .suspend && node.phase == .running { return utf8 ? "ǁ" : "Suspended" }
        switch node.phase {
        case .pending: return utf8 ? "◷" : "Pending"
        case .running: return utf8 ? "●" : "Running"
        case .succeeded: return utf8 ? "✔" : "Succeeded"
        case .skipped: return utf8 ? "○" : "Skipped"
        case .failed: return utf8 ? "✖" : "Failed"
        case .error: return utf8 ? "⚠" : "Error"
        case .omitted: return ""
        }
    }

    /// Argo's `printNode`: one table row.
    private mutating func printNode(_ node: NodeStatus, prefix: String) {
        let step = prefix + icon(node) + " " + node.displayName
        var template = node.templateName ?? ""
        if let ref = node.templateRef { template = "\(ref.name ?? "")/\(ref.template ?? "")" }
        let isPod = node.type == .pod
        let podName = isPod ? (node.podName ?? "") : ""
        let duration = isPod ? Humanize.shortBetween(node.startedAt, node.finishedAt, now: now) : ""
        let message = node.message ?? ""
        if wide {
            let artifacts = (node.outputs?.artifacts ?? []).map(\.name).joined(separator: ",")
            rows.append([
                step, template, podName, duration, artifacts, message, "", isPod ? (node.hostNodeName ?? "") : "",
            ])
        } else {
            rows.append([step, template, podName, duration, message, ""])
        }
    }
}
