import Foundation
import SwirlSpec

/// What a running DAG node knows about its tasks, derived from its template and its task nodes.
/// Each task completion touches only that task's dependents: no rescans of the whole DAG.
struct DAGRuntime: Sendable {
    /// Tasks in template order (restricted to the ancestors of `target` when one is given).
    var order: [String] = []
    var dependencies: [String: [String]] = [:]
    var dependents: [String: [String]] = [:]
    /// Dependencies of each task that have not completed yet.
    var remaining: [String: Int] = [:]
    /// Tasks that have a node.
    var created: Set<String> = []
    /// Tasks created and not yet completed.
    var outstanding = 0
    /// failFast tripped: start nothing new.
    var stopped = false
    var targets: [String] = []
    /// The template's tasks by name.
    var tasks: [String: DAGTask] = [:]
}
