import Foundation
import SwirlExpr
import SwirlSpec

extension WorkflowEngine {
    /// Builds a DAG's runtime from its template and whatever task nodes already exist (fresh start or restore).
    func buildDAGRuntime(_ dagNode: NodeStatus) -> DAGRuntime? {
        guard let dag = template(for: dagNode)?.dag else { return nil }
        var runtime = DAGRuntime()
        var byName: [String: DAGTask] = [:]
        for task in dag.tasks where byName[task.name] == nil { byName[task.name] = task }
        runtime.tasks = byName
        for task in dag.tasks {
            var deps = task.dependencies ?? []
            if let depends = task.depends { deps += (try? Depends.taskNames(in: depends)) ?? [] }
            var seen = Set<String>()
            runtime.dependencies[task.name] = deps.filter { byName[$0] != nil && seen.insert($0).inserted }
        }
        var included = Set(dag.tasks.map(\.name))
        if let target = dag.target?.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init), !target.isEmpty
        {
            included = []
            var stack = target.filter { byName[$0] != nil }
            while let next = stack.popLast() {
                if included.insert(next).inserted { stack += runtime.dependencies[next] ?? [] }
            }
            runtime.targets = target.filter { byName[$0] != nil }
        }
        runtime.order = dag.tasks.map(\.name).filter { included.contains($0) }
        for task in runtime.order {
            runtime.dependencies[task] = runtime.dependencies[task]?.filter { included.contains($0) }
            for dep in runtime.dependencies[task] ?? [] { runtime.dependents[dep, default: []].append(task) }
        }
        if runtime.targets.isEmpty {
            runtime.targets = runtime.order.filter { (runtime.dependents[$0] ?? []).isEmpty }
        }
        for task in runtime.order {
            let taskNode = status.nodes[nodeID("\(dagNode.name).\(task)")]
            if taskNode != nil {
                runtime.created.insert(task)
                if taskNode?.isFulfilled == false { runtime.outstanding += 1 }
            }
            runtime.remaining[task] =
                (runtime.dependencies[task] ?? []).filter {
                    status.nodes[nodeID("\(dagNode.name).\($0)")]?.isFulfilled != true
                }.count
        }
        return runtime
    }

    /// Starts a DAG node: every task with no dependencies.
    mutating func startDAG(dagID: String) {
        guard let dagNode = detached(dagID), let runtime = buildDAGRuntime(dagNode) else {
            complete(dagID, phase: .error, message: "dag template not found")
            return
        }
        dags[dagID] = runtime
        starting.insert(dagID)
        for task in runtime.order where runtime.remaining[task] == 0 {
            startTask(task, dagID: dagID)
        }
        starting.remove(dagID)
        checkDAGCompletion(dagID)
    }

    func dagTask(_ name: String, dagNode: NodeStatus) -> DAGTask? {
        if let runtime = dags[dagNode.id] { return runtime.tasks[name] }
        return template(for: dagNode)?.dag?.tasks.first { $0.name == name }
    }

    /// Whether a dependency satisfies `depends` (bare name: Argo's expansion, honouring the dependency's continueOn).
    func dependencyHolds(_ task: String, selector: String?, dagNode: NodeStatus) -> Bool {
        guard let node = status.nodes[nodeID("\(dagNode.name).\(task)")] else { return false }
        switch selector {
        case nil:
            if [.succeeded, .skipped].contains(node.phase) { return true }
            let continueOn = dagTask(task, dagNode: dagNode)?.continueOn
            return (node.phase == .failed && continueOn?.failed == true)
                || (node.phase == .error && continueOn?.error == true)
        case "Succeeded": return node.phase == .succeeded
        case "Failed": return node.phase == .failed
        case "Errored": return node.phase == .error
        case "Skipped": return node.phase == .skipped
        case "Omitted": return node.phase == .omitted
        case "Daemoned": return node.daemoned == true
        case "AnySucceeded", "AllFailed":
            let children = (node.children ?? []).compactMap { status.nodes[$0] }
            if selector == "AnySucceeded" { return children.contains { $0.phase == .succeeded } }
            return !children.isEmpty && children.allSatisfy { $0.phase == .failed || $0.phase == .error }
        default: return false
        }
    }

    /// Creates the node of a task whose dependencies are all done: runs it, or marks it Omitted / Skipped.
    mutating func startTask(_ taskName: String, dagID: String) {
        guard let dagNode = detached(dagID), let task = dagTask(taskName, dagNode: dagNode),
            dags[dagID]?.created.contains(taskName) == false
        else { return }
        dags[dagID]?.created.insert(taskName)
        dags[dagID]?.outstanding += 1
        let nodeName = "\(dagNode.name).\(taskName)"
        let dependencies = dags[dagID]?.dependencies[taskName] ?? []
        var satisfied = true
        do {
            if let depends = task.depends {
                satisfied = try Depends.evaluate(depends) { dependencyHolds($0, selector: $1, dagNode: dagNode) }
            } else {
                satisfied = dependencies.allSatisfy { dependencyHolds($0, selector: nil, dagNode: dagNode) }
            }
        } catch {
            let node = createNode(
                name: nodeName, displayName: taskName, type: .pod, templateName: task.template, boundaryID: dagID,
                parentID: dagID, phase: .pending)
            complete(node.id, phase: .error, message: "invalid depends '\(task.depends ?? "")': \(error)")
            return
        }
        if !satisfied {
            let node = createNode(
                name: nodeName, displayName: taskName, type: .skipped, templateName: task.template, boundaryID: dagID,
                parentID: dagID, phase: .omitted, message: "omitted: depends condition not met")
            childCompleted(node.id)
            return
        }
        var scope = Scope(node: dagNode)
        scope.siblingsOf = dagNode.id
        do {
            if try loopItems(task, scope: scope) != nil {
                let groupID = createNode(
                    name: nodeName, displayName: taskName, type: .taskGroup, templateName: task.template,
                    boundaryID: dagID, parentID: dagID
                ).id
                if let group = detached(groupID) { try populateTaskGroup(group, task: task, dagNode: dagNode) }
            } else {
                startInvocation(
                    task,
                    at: Placement(
                        nodeName: nodeName, displayName: taskName, boundaryID: dagID, parentID: dagID,
                        templateScope: dagNode.templateScope),
                    scope: scope)
            }
        } catch {
            let node = createNode(
                name: nodeName, displayName: taskName, type: .pod, templateName: task.template, boundaryID: dagID,
                parentID: dagID, phase: .pending)
            complete(node.id, phase: .error, message: "\(error)")
        }
    }

    /// Creates the missing item children of a looped task's TaskGroup, then checks whether it is done.
    mutating func populateTaskGroup(_ group: NodeStatus, task: DAGTask, dagNode: NodeStatus) throws {
        let dagID = dagNode.id
        let nodeName = group.name
        let taskName = task.name
        var scope = Scope(node: dagNode)
        scope.siblingsOf = dagNode.id
        guard let items = try loopItems(task, scope: scope) else { return }
        starting.insert(group.id)
        for item in items {
            var itemScope = scope
            itemScope.item = item.value
            let display = taskName + item.suffix
            startInvocation(
                task,
                at: Placement(
                    nodeName: "\(nodeName)\(item.suffix)", displayName: display, boundaryID: dagID,
                    parentID: group.id, templateScope: dagNode.templateScope), scope: itemScope)
        }
        starting.remove(group.id)
        taskGroupChildCompleted(groupID: group.id)
    }

    /// A looped task's child finished: the TaskGroup completes when all have.
    mutating func taskGroupChildCompleted(groupID: String, childID: String? = nil) {
        guard !starting.contains(groupID), let group = status.nodes[groupID], !group.phase.isCompleted else { return }
        guard allChildrenSettled(group, newlySettled: childID) else { return }
        let children = (group.children ?? []).compactMap { status.nodes[$0] }
        let dagNode = group.boundaryID.flatMap { status.nodes[$0] }
        let continueOn = dagNode.flatMap { dagTask(group.displayName, dagNode: $0) }?.continueOn
        for child in children where child.phase.isFailure {
            if child.phase == .failed && continueOn?.failed == true { continue }
            if child.phase == .error && continueOn?.error == true { continue }
            complete(groupID, phase: child.phase, message: "child '\(child.id)' failed")
            return
        }
        complete(groupID, phase: .succeeded)
    }

    /// A task node of a DAG finished: release its dependents, then see whether the DAG is done.
    mutating func dagTaskCompleted(dagID: String, taskNodeID: String) {
        guard let dagNode = status.nodes[dagID], let taskNode = status.nodes[taskNodeID] else { return }
        if dags[dagID] == nil { dags[dagID] = buildDAGRuntime(dagNode) }
        guard dags[dagID] != nil else { return }
        let taskName = taskNode.displayName
        dags[dagID]?.outstanding -= 1
        if taskNode.phase.isFailure {
            let continueOn = dagTask(taskName, dagNode: dagNode)?.continueOn
            let covered =
                (taskNode.phase == .failed && continueOn?.failed == true)
                || (taskNode.phase == .error && continueOn?.error == true)
            let failFast = template(for: dagNode)?.dag?.failFast ?? true
            // Argo fails fast only on failures no dependent handles (enhanced `depends` may expect them).
            let handled = (dags[dagID]?.dependents[taskName] ?? []).contains { dependent in
                dagTask(dependent, dagNode: dagNode)?.depends != nil
            }
            if failFast && !covered && !handled { dags[dagID]?.stopped = true }
        }
        for dependent in dags[dagID]?.dependents[taskName] ?? [] {
            dags[dagID]?.remaining[dependent, default: 1] -= 1
            if dags[dagID]?.remaining[dependent] == 0, dags[dagID]?.stopped == false, shutdown == nil {
                startTask(dependent, dagID: dagID)
            }
        }
        checkDAGCompletion(dagID)
    }

    /// Completes the DAG once nothing runs and nothing more can start.
    mutating func checkDAGCompletion(_ dagID: String) {
        guard !starting.contains(dagID), let runtime = dags[dagID], let dagNode = status.nodes[dagID],
            !dagNode.phase.isCompleted, runtime.outstanding == 0
        else { return }
        let allCreated = runtime.created.count == runtime.order.count
        if !allCreated && !runtime.stopped && shutdown == nil { return }
        dags[dagID] = nil
        if shutdown != nil && !allCreated {
            complete(dagID, phase: .failed, message: shutdownMessage)
            return
        }
        let (phase, message) = assessDAG(dagNode, runtime: runtime)
        finishScope(dagID, phase: phase, message: message)
    }

    /// Argo's `assessDAGPhase`: the phase of each target task, an Omitted one inheriting its branch's phase.
    func assessDAG(_ dagNode: NodeStatus, runtime: DAGRuntime) -> (NodePhase, String?) {
        let failFast = template(for: dagNode)?.dag?.failFast ?? true
        var result: (NodePhase, String?) = (.succeeded, nil)
        func branchPhase(_ task: String, depth: Int) -> NodePhase? {
            guard depth < 10_000, let node = status.nodes[nodeID("\(dagNode.name).\(task)")] else { return nil }
            if node.phase != .omitted { return node.phase }
            for dep in runtime.dependencies[task] ?? [] {
                if let phase = branchPhase(dep, depth: depth + 1), phase != .succeeded { return phase }
            }
            return .omitted
        }
        for target in runtime.targets {
            guard let phase = branchPhase(target, depth: 0) else {
                if runtime.stopped { continue }
                continue
            }
            guard phase.isFailure else { continue }
            let continueOn = dagTask(target, dagNode: dagNode)?.continueOn
            if (phase == .failed && continueOn?.failed == true) || (phase == .error && continueOn?.error == true) {
                continue
            }
            let failedID = nodeID("\(dagNode.name).\(target)")
            result = (phase, "child '\(failedID)' failed")
            if failFast { break }
        }
        if runtime.stopped && result.0 == .succeeded {
            // A failure stopped the DAG before every target ran.
            if let failed = runtime.order.compactMap({ status.nodes[nodeID("\(dagNode.name).\($0)")] })
                .first(where: { $0.phase.isFailure })
            {
                result = (failed.phase, "child '\(failed.id)' failed")
            }
        }
        return result
    }
}
