import Foundation
import SwirlSpec

/// `memoize`: a template whose key was seen before (within `maxAge`) is not run again; its node succeeds at once
/// with the cached outputs. The cache lives in the store; the engine asks for it with actions and gets the answer
/// as an event, so it stays free of I/O.
extension WorkflowEngine {
    /// The cache name, key and max age of a memoized template, with `{{…}}` substituted in the node's scope.
    func memoization(_ template: Template, node: NodeStatus) -> (cache: String, key: String, maxAge: Double?)? {
        guard case .object(let memo)? = template.memoize, case .string(let rawKey)? = memo["key"] else { return nil }
        var cache = "swirl-memo"
        if case .string(let name)? = memo["cache"]?["configMap"]?["name"] { cache = name }
        var maxAge: Double?
        if case .string(let text)? = memo["maxAge"] { maxAge = GoDuration.seconds(text) }
        var scope = Scope(node: node)
        scope.nodeName = node.name
        guard let key = try? substitute(rawKey, in: scope) else { return nil }
        return (cache, key, maxAge)
    }

    /// Parks a new node of a memoized template until the cache answers. Returns true when it did.
    mutating func awaitMemo(_ template: Template, nodeID: String) -> Bool {
        guard var node = status.nodes[nodeID], node.memoizationStatus == nil,
            let (cache, key, maxAge) = memoization(template, node: node)
        else { return false }
        node.memoizationStatus = MemoizationStatus(hit: false, key: key, cacheName: cache)
        node.message = "waiting for the memoization cache"
        put(node)
        pendingMemo.insert(nodeID)
        pendingActions.append(.memoLookup(nodeID: nodeID, cache: cache, key: key, maxAgeSeconds: maxAge))
        return true
    }

    /// The cache answered: a hit completes the node with the cached outputs, a miss runs it.
    mutating func memoAnswered(nodeID: String, outputs: Outputs?) {
        guard pendingMemo.remove(nodeID) != nil, var node = status.nodes[nodeID], !node.phase.isCompleted else {
            return
        }
        if let outputs {
            node.memoizationStatus?.hit = true
            node.message = nil
            put(node)
            if node.type == .pod { podsTotal -= 1 }
            complete(nodeID, phase: .succeeded, outputs: outputs)
            return
        }
        node.message = nil
        put(node)
        guard let template = template(for: node) else {
            complete(nodeID, phase: .error, message: "template of memoized node not found")
            return
        }
        runBody(template: template, nodeID: nodeID)
    }
}
