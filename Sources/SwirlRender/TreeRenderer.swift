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

    /// The aligned table (header, main tree, then after a blank row the onExit tree) as UTF-8, after `prefix`.
    func render(after prefix: [UInt8] = []) -> [UInt8] {
        var copy = self
        return copy.build(after: prefix)
    }

    private mutating func build(after prefix: [UInt8]) -> [UInt8] {
        let onExitName = "\(wf.metadata.name ?? "").onExit"
        let tree = NodeTree(nodes, forcedRootName: onExitName)
        // Freed on another core while this one writes: releasing 100,000 keys of its index took 10 ms.
        defer { DispatchQueue.global().async { withExtendedLifetime(tree) {} } }
        rows.reserveCapacity(tree.nodes.count + 1)
        tree.nodes.withUnsafeBufferPointer { nodes in
            if let root = tree.index(of: wf.metadata.name ?? "") {
                renderNode(tree, nodes, root, nodePrefix: " ", childPrefix: " ")
            }
            if let onExit = tree.roots.first(where: { nodes[$0].name == onExitName }) {
                rows.append((-1, ""))
                renderNode(tree, nodes, onExit, nodePrefix: " ", childPrefix: " ")
            }
        }
        return write(tree, after: prefix)
    }

    /// The header's cells.
    private var headerCells: [String] {
        wide
            ? ["STEP", "TEMPLATE", "PODNAME", "DURATION", "ARTIFACTS", "MESSAGE", "RESOURCESDURATION", "NODENAME"]
            : ["STEP", "TEMPLATE", "PODNAME", "DURATION", "MESSAGE", ""]
    }

    /// Argo's `printNode`: the cells of a node's row after STEP: TEMPLATE, PODNAME, DURATION, (wide: ARTIFACTS,)
    /// MESSAGE, then the last cell ("" or NODENAME).
    ///
    /// This and the other per-node helpers take the buffer and a position, and read fields: a node passed as an
    /// argument is copied whole (some twenty fields, each retained), since the compiler cannot prove that nothing
    /// writes through the pointer during the call.
    private func cells(_ nodes: UnsafeBufferPointer<NodeStatus>, _ index: Int, duration: String) -> RowCells {
        var cells = RowCells(count: wide ? 7 : 5)
        if let ref = nodes[index].templateRef {
            cells.texts.0 = "\(ref.name ?? "")/\(ref.template ?? "")"
        } else {
            cells.texts.0 = nodes[index].templateName ?? ""
        }
        let isPod = nodes[index].type == .pod
        cells.texts.1 = isPod ? (nodes[index].podName ?? "") : ""
        cells.texts.2 = duration
        if wide {
            cells.texts.3 = (nodes[index].outputs?.artifacts ?? []).map(\.name).joined(separator: ",")
            cells.texts.4 = nodes[index].message ?? ""
            cells.texts.6 = isPod ? (nodes[index].hostNodeName ?? "") : ""
        } else {
            cells.texts.3 = nodes[index].message ?? ""
        }
        return cells
    }

    /// Aligns the rows as Go's tabwriter does with padding 2 (every row has every column, so each column is as
    /// wide as its widest cell plus the padding; the last cell is not aligned), trimming line ends. A first pass
    /// measures, a second writes the bytes; both read the nodes in place, and no row builds strings of its own
    /// (the STEP cell is written as its parts: tree glyphs, icon, name). A big table is measured and written in
    /// parts, one per core, joined at the end.
    private func write(_ tree: NodeTree, after prefix: [UInt8]) -> [UInt8] {
        let padding = 2
        let header = headerCells
        var table = TableBytes(widths: header.map { TabWriter.scalarCount($0) + padding })
        let parts = rows.count >= 5_000 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        let size = (rows.count + parts - 1) / parts
        let ranges = (0..<parts).map { ($0 * size)..<min(rows.count, ($0 + 1) * size) }
        var measured = [Measured?](repeating: nil, count: parts)
        let renderer = UncheckedShare(self)
        let headerWidths = table.widths
        measured.withUnsafeMutableBufferPointer { buffer in
            let results = UncheckedShare(buffer)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                results.value[part] = renderer.value.measure(tree, ranges[part], widths: headerWidths)
            }
        }
        for part in measured.compactMap({ $0 }) {
            for (column, width) in part.widths.enumerated() { table.measure(column, width: width) }
        }
        var written = [[UInt8]](repeating: [], count: parts)
        let widths = table.widths
        let sizes = UncheckedShare(measured)
        written.withUnsafeMutableBufferPointer { buffer in
            let results = UncheckedShare(buffer)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                results.value[part] = renderer.value.write(tree, ranges[part], sizes.value[part]!, widths: widths)
            }
        }
        for (column, text) in header.enumerated() { table.cell(column, text) }
        table.endLine()
        var out = prefix
        out.reserveCapacity(prefix.count + table.out.count + written.reduce(0) { $0 + $1.count })
        out += table.out
        for part in written { out += part }
        return out
    }

    /// What measuring a run of rows found: the widest cell of each column, and per row its duration and the width
    /// of its STEP cell, kept for the writing pass.
    private struct Measured {
        var widths: [Int]
        var durations: [String] = []
        var stepWidths: [Int] = []
    }

    private func measure(_ tree: NodeTree, _ range: Range<Int>, widths: [Int]) -> Measured {
        tree.nodes.withUnsafeBufferPointer { measure($0, range, widths: widths) }
    }

    /// Nodes are read through a buffer pointer: an array's subscript copies the whole node (some twenty fields,
    /// each retained) before a field is read.
    private func measure(_ nodes: UnsafeBufferPointer<NodeStatus>, _ range: Range<Int>, widths: [Int]) -> Measured {
        let padding = 2
        var table = TableBytes(widths: widths)
        var measured = Measured(widths: widths)
        measured.durations.reserveCapacity(range.count)
        measured.stepWidths.reserveCapacity(range.count)
        for row in rows[range] {
            guard row.node >= 0 else {
                measured.durations.append("")
                measured.stepWidths.append(0)
                continue
            }
            let index = Int(row.node)
            let isPod = nodes[index].type == .pod
            let duration =
                isPod ? Humanize.shortBetween(nodes[index].startedAt, nodes[index].finishedAt, now: now) : ""
            measured.durations.append(duration)
            let step =
                TabWriter.scalarCount(row.prefix)
                + TabWriter.scalarCount(icon(type: nodes[index].type, phase: nodes[index].phase))
                + TabWriter.scalarCount(nodes[index].displayName)
            measured.stepWidths.append(step)
            table.measure(0, width: step + padding)
            let cells = cells(nodes, index, duration: duration)
            for column in 0..<cells.count - 1 {
                table.measure(column + 1, width: TabWriter.scalarCount(cells[column]) + padding)
            }
        }
        measured.widths = table.widths
        return measured
    }

    private func write(_ tree: NodeTree, _ range: Range<Int>, _ measured: Measured, widths: [Int]) -> [UInt8] {
        tree.nodes.withUnsafeBufferPointer { write($0, range, measured, widths: widths) }
    }

    private func write(
        _ nodes: UnsafeBufferPointer<NodeStatus>, _ range: Range<Int>, _ measured: Measured, widths: [Int]
    ) -> [UInt8] {
        var table = TableBytes(widths: widths)
        table.reserve(lines: range.count)
        for (offset, row) in rows[range].enumerated() {
            if row.node >= 0 {
                let index = Int(row.node)
                table.text(row.prefix)
                table.text(icon(type: nodes[index].type, phase: nodes[index].phase))
                table.cell(0, nodes[index].displayName, width: measured.stepWidths[offset])
                let cells = cells(nodes, index, duration: measured.durations[offset])
                for column in 0..<cells.count { table.cell(column + 1, cells[column]) }
            }
            table.endLine()
        }
        return table.out
    }

    /// Argo's `filterNode`: (hidden, children get group brackets).
    private func filter(_ nodes: UnsafeBufferPointer<NodeStatus>, _ index: Int) -> (hidden: Bool, indentChildren: Bool)
    {
        let type = nodes[index].type
        let phase = nodes[index].phase
        if type == .retry, nodes[index].children?.count == 1 { return (true, false) }
        if type == .stepGroup { return (true, true) }
        if phase == .omitted { return (true, false) }
        if let statusFilter, !statusFilter.contains(phase.rawValue) { return (true, false) }
        if let nodeFilter, !nodeFilter(nodes[index]) { return (true, false) }
        return (false, false)
    }

    private mutating func renderNode(
        _ tree: NodeTree, _ nodes: UnsafeBufferPointer<NodeStatus>, _ index: Int, nodePrefix: String,
        childPrefix: String
    ) {
        let (hidden, indent) = filter(nodes, index)
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
            renderNode(tree, nodes, Int(child), nodePrefix: childNodePrefix, childPrefix: childPrefix + sub)
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
    private func icon(type: NodeType, phase: NodePhase) -> String {
        if type == .suspend && phase == .running { return utf8 ? "ǁ " : "Suspended " }
        switch phase {
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

/// Shares a value with `concurrentPerform`, whose iterations only read it or write disjoint elements of it.
private struct UncheckedShare<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
