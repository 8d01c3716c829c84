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

    /// The nodes, each copied once out of the workflow's map: an array's elements are read in place, where every
    /// read from a dictionary copies the whole node (some twenty fields), which was most of this on a
    /// 100,000-node workflow.
    let nodes: ContiguousArray<NodeStatus>
    /// Node ID → position in `nodes`.
    let position: [String: Int]
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
    init(nodes map: [String: NodeStatus], forcedRoots: Set<String> = []) {
        let nodes = ContiguousArray(map.values)
        var position: [String: Int] = Dictionary(minimumCapacity: nodes.count)
        // Keyed by the map's keys (a node's `id` field is the same, but the key is what others refer to).
        for (offset, key) in map.keys.enumerated() { position[key] = offset }
        self.nodes = nodes
        self.position = position
        var groupParent: [String: String] = [:]
        let keys = Array(map.keys)
        let groups = nodes.indices.filter { Self.kind(of: nodes[$0].type) == .group }.sorted {
            ByteOrder.less(keys[$0], keys[$1])
        }
        for index in groups {
            for child in nodes[index].children ?? [] { groupParent[child] = keys[index] }
        }
        for index in nodes.indices {
            guard Self.kind(of: nodes[index].type) != nil else { continue }
            let id = keys[index]
            if forcedRoots.contains(id) {
                roots.insert(id)
            } else if let parent = groupParent[id] {
                children[parent, default: []].append(id)
            } else if let boundary = nodes[index].boundaryID, !boundary.isEmpty {
                if let b = position[boundary], Self.kind(of: nodes[b].type) == .boundary {
                    children[boundary, default: []].append(id)
                }
            } else {
                roots.insert(id)
            }
        }
        // Sort keys are computed once per node, not once per comparison (a 100,000-node DAG sorts one list).
        for (key, members) in children {
            let keyed = members.compactMap { id in position[id].map { (SortKey(nodes[$0]), id) } }
            children[key] = keyed.sorted { $0.0.precedes($1.0) }.map(\.1)
        }
    }

    /// The node with this ID.
    func node(_ id: String) -> NodeStatus? { position[id].map { nodes[$0] } }

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
                return ByteOrder.less(displayName, other.displayName)  // Go compares bytes
            }
            return ByteOrder.less(id, other.id)
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
