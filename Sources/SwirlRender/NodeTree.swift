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
///
/// Nodes are addressed by their position in `nodes`: on a 100,000-node workflow, lists and sorts of string IDs
/// (each element retained and released on every move) were most of `swirl get`.
struct NodeTree {
    enum Kind { case boundary, group, leaf }

    /// The nodes, read in place (see `NodeList`).
    let nodes: ContiguousArray<NodeStatus>
    /// The map key of each node (a node's `id` field is the same, but the key is what others refer to).
    let ids: ContiguousArray<String>
    /// Node ID → position in `nodes`.
    let position: [String: Int]
    /// The positions of each node's children, in drawing order (empty for leaves).
    private(set) var children: [[Int32]]
    /// The positions of the nodes drawn at the top level.
    private(set) var roots: Set<Int> = []

    static func kind(of type: NodeType) -> Kind? {
        switch type {
        case .steps, .dag: return .boundary
        case .stepGroup, .retry: return .group
        case .pod, .skipped, .suspend, .http, .plugin: return .leaf
        case .container, .taskGroup: return nil
        }
    }

    /// Builds the tree; the node named `forcedRootName` (the onExit node) is never attached to a parent.
    init(_ list: NodeList, forcedRootName: String? = nil) {
        let ids = list.ids
        var position: [String: Int] = Dictionary(minimumCapacity: ids.count)
        for (offset, key) in ids.enumerated() { position[key] = offset }
        self.nodes = list.nodes
        self.ids = ids
        self.position = position
        var roots: Set<Int> = []
        // Nodes are read through a buffer pointer: an array's subscript copies the whole node (some twenty fields,
        // each retained) before a field is read, and on a 100,000-node workflow that was most of the work here.
        children = list.nodes.withUnsafeBufferPointer { nodes in
            let kinds = nodes.indices.map { Self.kind(of: nodes[$0].type) }
            // A node listed by several groups goes to the last of them in byte order of their IDs.
            var groupParent = [Int32](repeating: -1, count: nodes.count)
            let groups = nodes.indices.filter { kinds[$0] == .group }.sorted { ByteOrder.less(ids[$0], ids[$1]) }
            for group in groups {
                for child in nodes[group].children ?? [] {
                    if let index = position[child] { groupParent[index] = Int32(group) }
                }
            }
            var children = [[Int32]](repeating: [], count: nodes.count)
            // Siblings mostly share a boundary: the last one looked up is compared before hashing again.
            var lastBoundary: (id: String, parent: Int?)?
            for index in nodes.indices where kinds[index] != nil {
                if let forcedRootName, nodes[index].name == forcedRootName {
                    roots.insert(index)
                } else if groupParent[index] >= 0 {
                    children[Int(groupParent[index])].append(Int32(index))
                } else if let boundary = nodes[index].boundaryID, !boundary.isEmpty {
                    let parent: Int?
                    if let last = lastBoundary, last.id == boundary {
                        parent = last.parent
                    } else {
                        parent = position[boundary]
                        lastBoundary = (boundary, parent)
                    }
                    if let parent, kinds[parent] == .boundary {
                        children[parent].append(Int32(index))
                    }
                } else {
                    roots.insert(index)
                }
            }
            let keys = SortKeys(nodes)
            for index in children.indices where children[index].count > 1 {
                children[index].sort { keys.precedes(Int($0), Int($1), nodes: nodes) }
            }
            return children
        }
        self.roots = roots
    }

    /// The position of the node with this ID.
    func index(of id: String) -> Int? { position[id] }

    /// What `precedes` compares, precomputed per node in flat arrays, so that a comparison reads numbers and
    /// only falls back to the names when their first eight bytes tie.
    struct SortKeys {
        let second: [Double]
        let loopIndex: [Int]
        /// The first eight UTF-8 bytes of the display name, big-endian, zero-padded: ordered as `memcmp` orders.
        let namePrefix: [UInt64]

        init(_ nodes: UnsafeBufferPointer<NodeStatus>) {
            second = nodes.indices.map {
                nodes[$0].startedAt.map { $0.timeIntervalSince1970.rounded(.down) } ?? -.infinity
            }
            loopIndex = nodes.indices.map { NodeTree.loopIndex(nodes[$0].displayName) }
            namePrefix = nodes.indices.map { SortKeys.prefix(nodes[$0].displayName) }
        }

        static func prefix(_ text: String) -> UInt64 {
            var packed: UInt64 = 0
            var count = 0
            for byte in text.utf8.prefix(8) {
                packed = packed << 8 | UInt64(byte)
                count += 1
            }
            return count == 0 ? 0 : packed << (8 * UInt64(8 - count))
        }

        /// Argo's `insertSorted` order: start time (to the second), then loop index when both names carry
        /// one (`name(3:foo)`), else display name (bytes, as Go compares); the node ID breaks remaining ties.
        func precedes(_ a: Int, _ b: Int, nodes: UnsafeBufferPointer<NodeStatus>) -> Bool {
            if second[a] != second[b] { return second[a] < second[b] }
            if loopIndex[a] >= 0, loopIndex[b] >= 0 {
                if loopIndex[a] != loopIndex[b] { return loopIndex[a] < loopIndex[b] }
            } else {
                if namePrefix[a] != namePrefix[b] { return namePrefix[a] < namePrefix[b] }
                if nodes[a].displayName != nodes[b].displayName {
                    return ByteOrder.less(nodes[a].displayName, nodes[b].displayName)
                }
            }
            return ByteOrder.less(nodes[a].id, nodes[b].id)
        }
    }

    /// Argo's `RecoverIndexFromNodeName`: the integer between the first `(` and the first `:`, or -1.
    static func loopIndex(_ name: String) -> Int {
        let bytes = name.utf8
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")), let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
            open < colon
        else { return -1 }
        return Int(Substring(bytes[bytes.index(after: open)..<colon])) ?? -1
    }
}
