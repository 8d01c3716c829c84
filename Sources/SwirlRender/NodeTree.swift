import Foundation
import SwirlEngine

/// The tree `argo get` draws from the flat node map (a port of `convertToRenderTrees` in Argo's
/// `cmd/argo/commands/common/get.go`).
///
/// - Steps/DAG nodes are *boundary* nodes: they hold every node whose `boundaryID` is theirs,
///   unless that node is the child of a StepGroup/Retry.
/// - StepGroup/Retry nodes hold their `children`.
/// - Pod/Skipped/Suspend/HTTP/Plugin nodes are leaves.
/// - TaskGroup and Container nodes are not drawn (their members attach to their boundary).
/// Nodes with no boundary and no StepGroup/Retry parent are roots.
struct NodeTree {
    enum Kind { case boundary, group, leaf }

    let nodes: [String: NodeStatus]
    private(set) var children: [String: [String]] = [:]
    private(set) var roots: Set<String> = []

    static func kind(of type: NodeType) -> Kind? {
        switch type {
        case .steps, .dag: return .boundary
        case .stepGroup, .retry: return .group
        case .pod, .skipped, .suspend, .http, .plugin: return .leaf
        case .container, .taskGroup: return nil
        }
    }

    /// Builds the tree; `forcedRoots` (the onExit node) are never attached to a parent.
    init(nodes: [String: NodeStatus], forcedRoots: Set<String> = []) {
        self.nodes = nodes
        var groupParent: [String: String] = [:]
        for id in nodes.keys.sorted() {
            guard let node = nodes[id], Self.kind(of: node.type) == .group else { continue }
            for child in node.children ?? [] { groupParent[child] = id }
        }
        for (id, node) in nodes {
            guard Self.kind(of: node.type) != nil else { continue }
            if forcedRoots.contains(id) {
                roots.insert(id)
            } else if let parent = groupParent[id] {
                children[parent, default: []].append(id)
            } else if let boundary = node.boundaryID, !boundary.isEmpty {
                if let b = nodes[boundary], Self.kind(of: b.type) == .boundary {
                    children[boundary, default: []].append(id)
                }
            } else {
                roots.insert(id)
            }
        }
        for key in children.keys {
            children[key]?.sort { Self.before(nodes[$0]!, nodes[$1]!) }
        }
    }

    /// Argo's `insertSorted` order: start time (to the second), then loop index when both names carry
    /// one (`name(3:foo)`), else display name; the node ID breaks remaining ties.
    static func before(_ a: NodeStatus, _ b: NodeStatus) -> Bool {
        let ta = a.startedAt.map { $0.timeIntervalSince1970.rounded(.down) } ?? -.infinity
        let tb = b.startedAt.map { $0.timeIntervalSince1970.rounded(.down) } ?? -.infinity
        if ta != tb { return ta < tb }
        let ia = loopIndex(a.displayName), ib = loopIndex(b.displayName)
        if ia >= 0, ib >= 0 {
            if ia != ib { return ia < ib }
        } else if a.displayName != b.displayName {
            return Array(a.displayName.utf8).lexicographicallyPrecedes(Array(b.displayName.utf8))
        }
        return Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
    }

    /// Argo's `RecoverIndexFromNodeName`: the integer between the first `(` and the first `:`, or -1.
    static func loopIndex(_ name: String) -> Int {
        guard let open = name.firstIndex(of: "("), let colon = name.firstIndex(of: ":"), open < colon else { return -1 }
        return Int(name[name.index(after: open)..<colon]) ?? -1
    }
}
