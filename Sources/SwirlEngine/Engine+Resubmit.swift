import Foundation
import SwirlSpec

extension WorkflowEngine {
    /// Argo's `resubmit --memoized` (`FormulateResubmitWorkflow`): the status a new workflow `newName` starts from,
    /// so that what succeeded in the Failed/Error workflow `oldName` is not run again.
    ///
    /// Nodes are renamed (`old…` → `new…`, IDs recomputed, links followed); succeeded pods are kept, with their
    /// outputs, as Skipped nodes whose message names the original (`original pod: <id>`), as Argo marks them. Every
    /// other leaf (failed, errored, omitted or skipped steps, suspend and http nodes, whatever their phase) and the
    /// exit handler are dropped and their ancestors reopened, so the engine restored from this status runs exactly
    /// those again, each Steps node from its first reopened group on.
    public static func memoizedResubmitStatus(
        _ status: WorkflowStatus, from oldName: String, to newName: String, now: Date
    ) -> WorkflowStatus {
        func rename(_ nodeName: String) -> String {
            nodeName.hasPrefix(oldName) ? newName + nodeName.dropFirst(oldName.count) : nodeName
        }
        var newIDs: [String: String] = [:]
        for node in status.nodes.values {
            newIDs[node.id] = NodeNaming.nodeID(workflowName: newName, nodeName: rename(node.name))
        }
        func mapID(_ id: String) -> String { newIDs[id] ?? id }
        var renamed = status
        renamed.nodes = [:]
        for var node in status.nodes.values {
            node.name = rename(node.name)
            if node.displayName == oldName { node.displayName = newName }
            node.id = mapID(node.id)
            node.boundaryID = node.boundaryID.map(mapID)
            node.children = node.children?.map(mapID)
            node.outboundNodes = node.outboundNodes?.map(mapID)
            renamed.nodes[node.id] = node
        }
        var (result, _) = reopening(renamed, workflowName: newName) { node in
            if node.type == .pod { return node.phase != .succeeded }
            // A pod reused by an earlier memoized resubmit stays reused.
            return !(node.type == .skipped && node.message?.hasPrefix("original pod: ") == true)
        }
        let oldIDs = Dictionary(newIDs.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        for (id, node) in result.nodes where node.type == .pod && node.phase == .succeeded {
            let originalID = oldIDs[id] ?? id
            var reused = node
            reused.type = .skipped
            reused.phase = .skipped
            reused.message = "original pod: \(originalID)"
            reused.podName = nil
            reused.startedAt = now
            reused.finishedAt = now
            result.nodes[id] = reused
        }
        result.phase = .running
        result.startedAt = now
        result.finishedAt = nil
        result.message = nil
        result.conditions = nil
        return result
    }
}
