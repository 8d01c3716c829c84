/// A workflow's nodes as two parallel arrays, for reading many of them in place: every read from the status's
/// dictionary copies a whole node (some twenty fields), and building that dictionary for a 100,000-node workflow
/// took a quarter of a second that `swirl get` does not need.
public struct NodeList: Sendable {
    /// The node IDs (the keys of `WorkflowStatus.nodes`).
    public var ids: ContiguousArray<String>
    /// The nodes, `nodes[i]` being the node with ID `ids[i]`.
    public var nodes: ContiguousArray<NodeStatus>

    public init(ids: ContiguousArray<String>, nodes: ContiguousArray<NodeStatus>) {
        precondition(ids.count == nodes.count, "one ID per node")
        self.ids = ids
        self.nodes = nodes
    }

    /// The nodes of a status's map, in the map's order.
    public init(_ map: [String: NodeStatus]) {
        self.init(ids: ContiguousArray(map.keys), nodes: ContiguousArray(map.values))
    }

    public var count: Int { ids.count }
}
