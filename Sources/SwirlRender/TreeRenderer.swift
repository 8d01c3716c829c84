import Foundation
import SwirlEngine
import SwirlSpec

/// Draws the node table of `argo get` (a port of `renderNodes`/`renderChild`/`printNode` in Argo's
/// `cmd/argo/commands/common/get.go`).
struct TreeRenderer {
    let wf: WorkflowObject
    let nodes: NodeList
    let now: Date
    let wide: Bool
    let utf8: Bool
    let statusFilter: Set<String>?
    /// `--node-field-selector`: nodes it rejects are hidden like `--status` hides them.
    var nodeFilter: (@Sendable (NodeStatus) -> Bool)?
    /// The drawn rows, in order: a node and the tree glyphs before it, or (node -1) the blank row before the onExit
    /// tree.
    private var rows: [(node: Int32, prefix: String)] = []

    init(wf: WorkflowObject, nodes: NodeList, now: Date, wide: Bool, utf8: Bool, statusFilter: Set<String>?) {
        self.wf = wf
        self.nodes = nodes
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
        let onExitName = "\(wf.metadata.name ?? "").onExit"
        let tree = NodeTree(nodes, forcedRootName: onExitName)
        rows.reserveCapacity(tree.nodes.count + 1)
        if let root = tree.index(of: wf.metadata.name ?? "") {
            renderNode(tree, root, nodePrefix: " ", childPrefix: " ")
        }
        if let onExit = tree.roots.first(where: { tree.nodes[$0].name == onExitName }) {
            rows.append((-1, ""))
            renderNode(tree, onExit, nodePrefix: " ", childPrefix: " ")
        }
        return write(tree)
    }

    /// The header's cells.
    private var headerCells: [String] {
        wide
            ? ["STEP", "TEMPLATE", "PODNAME", "DURATION", "ARTIFACTS", "MESSAGE", "RESOURCESDURATION", "NODENAME"]
            : ["STEP", "TEMPLATE", "PODNAME", "DURATION", "MESSAGE", ""]
    }

    /// Argo's `printNode`: hands `cell` the cells of a node's row after STEP (TEMPLATE, PODNAME, DURATION, (wide:
    /// ARTIFACTS,) MESSAGE, then the last cell, "" or NODENAME), each with its column.
    private func forEachCell(of node: NodeStatus, duration: String, _ cell: (Int, String) -> Void) {
        if let ref = node.templateRef {
            cell(1, "\(ref.name ?? "")/\(ref.template ?? "")")
        } else {
            cell(1, node.templateName ?? "")
        }
        let isPod = node.type == .pod
        cell(2, isPod ? (node.podName ?? "") : "")
        cell(3, duration)
        if wide {
            cell(4, (node.outputs?.artifacts ?? []).map(\.name).joined(separator: ","))
            cell(5, node.message ?? "")
            cell(6, "")
            cell(7, isPod ? (node.hostNodeName ?? "") : "")
        } else {
            cell(4, node.message ?? "")
            cell(5, "")
        }
    }

    /// Aligns the rows as Go's tabwriter does with padding 2 (every row has every column, so each column is as
    /// wide as its widest cell plus the padding; the last cell is not aligned), trimming line ends. A first pass
    /// measures, a second writes the bytes; both read the nodes in place, and no row builds strings of its own
    /// (the STEP cell is written as its parts: tree glyphs, icon, name).
    private func write(_ tree: NodeTree) -> String {
        let padding = 2
        let header = headerCells
        let columns = header.count
        var widths = header.map { TabWriter.scalarCount($0) + padding }
        var durations: [String] = []
        var stepWidths: [Int] = []
        durations.reserveCapacity(rows.count)
        stepWidths.reserveCapacity(rows.count)
        for row in rows {
            guard row.node >= 0 else {
                durations.append("")
                stepWidths.append(0)
                continue
            }
            let index = Int(row.node)
            let isPod = tree.nodes[index].type == .pod
            let duration =
                isPod ? Humanize.shortBetween(tree.nodes[index].startedAt, tree.nodes[index].finishedAt, now: now) : ""
            durations.append(duration)
            let step =
                TabWriter.scalarCount(row.prefix) + TabWriter.scalarCount(icon(tree.nodes[index]))
                + TabWriter.scalarCount(tree.nodes[index].displayName)
            stepWidths.append(step)
            widths[0] = max(widths[0], step + padding)
            forEachCell(of: tree.nodes[index], duration: duration) { column, text in
                if column < columns - 1 { widths[column] = max(widths[column], TabWriter.scalarCount(text) + padding) }
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 1) * (widths.reduce(0, +) + 16))
        func cell(_ column: Int, _ text: String, width: Int? = nil) {
            var text = text
            text.withUTF8 { out.append(contentsOf: $0) }
            if column < columns - 1 {
                let pad = widths[column] - (width ?? TabWriter.scalarCount(text))
                if pad > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: pad)) }
            }
        }
        func endLine() {
            while out.last == UInt8(ascii: " ") { out.removeLast() }
            out.append(UInt8(ascii: "\n"))
        }
        for (column, text) in header.enumerated() { cell(column, text) }
        endLine()
        for (position, row) in rows.enumerated() {
            if row.node >= 0 {
                let index = Int(row.node)
                var prefix = row.prefix
                var icon = icon(tree.nodes[index])
                prefix.withUTF8 { out.append(contentsOf: $0) }
                icon.withUTF8 { out.append(contentsOf: $0) }
                cell(0, tree.nodes[index].displayName, width: stepWidths[position])
                forEachCell(of: tree.nodes[index], duration: durations[position]) { cell($0, $1) }
            }
            endLine()
        }
        return String(decoding: out, as: UTF8.self)
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

    private mutating func renderNode(_ tree: NodeTree, _ index: Int, nodePrefix: String, childPrefix: String) {
        // Read in place, not copied: see `NodeTree.nodes`.
        let (hidden, indent) = filter(tree.nodes[index])
        if !hidden { rows.append((Int32(index), nodePrefix)) }
        let kids = tree.children[index]
        for (position, child) in kids.enumerated() {
            let (part, sub) = glyphs(parentHidden: hidden, indent: indent, index: position, last: kids.count - 1)
            let childNodePrefix: String
            if !hidden || position != 0 {
                childNodePrefix = childPrefix + part
            } else {
                childNodePrefix = nodePrefix + part
            }
            renderNode(tree, Int(child), nodePrefix: childNodePrefix, childPrefix: childPrefix + sub)
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

    /// The phase icon and the space after it.
    private func icon(_ node: NodeStatus) -> String {
        if node.type == .suspend && node.phase == .running { return utf8 ? "ǁ " : "Suspended " }
        switch node.phase {
        case .pending: return utf8 ? "◷ " : "Pending "
        case .running: return utf8 ? "● " : "Running "
        case .succeeded: return utf8 ? "✔ " : "Succeeded "
        case .skipped: return utf8 ? "○ " : "Skipped "
        case .failed: return utf8 ? "✖ " : "Failed "
        case .error: return utf8 ? "⚠ " : "Error "
        case .omitted: return " "
        }
    }
}
