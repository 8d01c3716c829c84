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
        let groupIDs = nodes.compactMap { Self.kind(of: $0.value.type) == .group ? $0.key : nil }
        for id in groupIDs.sorted() {
            for child in nodes[id]?.children ?? [] { groupParent[child] = id }
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
        // Sort keys are computed once per node, not once per comparison (a 100,000-node DAG sorts one list).
        for (key, ids) in children {
            let keyed = ids.compactMap { id in nodes[id].map { (SortKey($0), id) } }
            children[key] = keyed.sorted { $0.0.precedes($1.0) }.map(\.1)
        }
    }

    /// What `before` compares, precomputed.
    struct SortKey {
        let second: Double
        let loopIndex: Int
        let displayName: String
        let id: String

        init(_ node: NodeStatus) {
            second = node.startedAt.map { $0.timeIntervalSince1970.rounded(.down) } ?? -.infinity
            loopIndex = NodeTree.loopIndex(node.displayName)
            displayName = node.displayName
            id = node.id
        }

        func precedes(_ other: SortKey) -> Bool {
            if second != other.second { return second < other.second }
            if loopIndex >= 0, other.loopIndex >= 0 {
                if loopIndex != other.loopIndex { return loopIndex < other.loopIndex }
            } else if displayName != other.displayName {
                return displayName.utf8.lexicographicallyPrecedes(other.displayName.utf8)
            }
            return id.utf8.lexicographicallyPrecedes(other.id.utf8)
        }
    }

    /// Argo's `insertSorted` order: start time (to the second), then loop index when both names carry
    /// one (`name(3:foo)`), else display name; the node ID breaks remaining ties.
    static func before(_ a: NodeStatus, _ b: NodeStatus) -> Bool {
        SortKey(a).precedes(SortKey(b))
    }

    /// Argo's `RecoverIndexFromNodeName`: the integer between the first `(` and the first `:`, or -1.
    static func loopIndex(_ name: String) -> Int {
        guard let open = name.firstIndex(of: "("), let colon = name.firstIndex(of: ":"), open < colon else { return -1 }
        return Int(name[name.index(after: open)..<colon]) ?? -1
    }
}
