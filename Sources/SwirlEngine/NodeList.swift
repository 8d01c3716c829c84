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

/// A workflow's node rows as stored (`NodeJSON`'s stored shape, or Codable's), undecoded: what `swirl get -o json`
/// rewrites into Argo's JSON without building a node per row.
public struct StoredNodeRows: Sendable {
    /// The node IDs (the rows' keys), `ids[i]` being row `i`'s.
    public private(set) var ids: ContiguousArray<String> = []
    /// The rows' JSON, one after another.
    public private(set) var bytes: [UInt8] = []
    /// Where each row ends in `bytes`.
    private var ends: [Int] = []

    public init() {}

    public var count: Int { ids.count }

    /// Appends one row (its bytes are copied).
    public mutating func append(id: String, json: UnsafeBufferPointer<UInt8>) {
        ids.append(id)
        bytes.append(contentsOf: json)
        ends.append(bytes.count)
    }

    /// The byte range of row `index` in `bytes`.
    public func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }
}
