import Foundation
import SwirlExpr
import SwirlSpec

extension WorkflowEngine {
    /// Starts group `index` of a Steps node, or finishes the node after its last group. A group that already
    /// exists (a restored, retried or resubmitted workflow) is taken up where it is: a finished one hands on to the
    /// next, an unfinished one has its unfinished children reconciled and its missing ones created.
    mutating func startStepGroup(stepsID: String, index: Int, depth: Int = 0) {
        guard let stepsNode = detached(stepsID), let template = template(for: stepsNode) else { return }
        let groups = template.steps ?? []
        guard index < groups.count else {
            finishScope(stepsID, phase: .succeeded, message: nil)
            return
        }
        if shutdown != nil {
            complete(stepsID, phase: .failed, message: shutdownMessage)
            return
        }
        let groupName = "\(stepsNode.name)[\(index)]"
        if let existing = status.nodes[nodeID(groupName)] {
            if existing.phase.isCompleted {
                stepGroupCompleted(stepsID: stepsID, groupID: existing.id)
                return
            }
            for child in existing.children ?? [] { reconcile(child, depth: depth + 1) }
        }
        let groupID = createNode(
            name: groupName, displayName: "[\(index)]", type: .stepGroup,
            templateName: stepsNode.templateName, boundaryID: stepsID, parentID: stepsID
        ).id
        guard let group = detached(groupID), !group.phase.isCompleted else { return }
        populateStepGroup(group, index: index, stepsNode: stepsNode, steps: groups[index])
    }

    /// Creates the children of a step group that do not exist yet (all of them, unless retrying or restoring).
    mutating func populateStepGroup(_ group: NodeStatus, index: Int, stepsNode: NodeStatus, steps: [WorkflowStep]) {
        let stepsID = stepsNode.id
        starting.insert(group.id)
        var scope = Scope(node: stepsNode)
        scope.siblingsOf = stepsNode.id
        for step in steps {
            do {
                if let items = try loopItems(step, scope: scope) {
                    for item in items {
                        var itemScope = scope
                        itemScope.item = item.value
                        let display = step.name + item.suffix
                        startInvocation(
                            step,
                            at: Placement(
                                nodeName: "\(group.name).\(display)", displayName: display, boundaryID: stepsID,
                                parentID: group.id, templateScope: stepsNode.templateScope), scope: itemScope)
                    }
                } else {
                    startInvocation(
                        step,
                        at: Placement(
                            nodeName: "\(group.name).\(step.name)", displayName: step.name, boundaryID: stepsID,
                            parentID: group.id, templateScope: stepsNode.templateScope), scope: scope)
                }
            } catch {
                let node = createNode(
                    name: "\(group.name).\(step.name)", displayName: step.name, type: .pod, templateName: step.template,
                    boundaryID: stepsID, parentID: group.id, phase: .pending)
                complete(node.id, phase: .error, message: "\(error)")
            }
        }
        starting.remove(group.id)
        stepGroupChildCompleted(groupID: group.id)
    }

    /// Called when a child of a StepGroup finished: completes the group once all are done.
    mutating func stepGroupChildCompleted(groupID: String, childID: String? = nil) {
        guard !starting.contains(groupID), let group = status.nodes[groupID], !group.phase.isCompleted else { return }
        guard allChildrenSettled(group, newlySettled: childID) else { return }
        let children = (group.children ?? []).compactMap { status.nodes[$0] }
        let stepsNode = group.boundaryID.flatMap { status.nodes[$0] }
        let steps = stepsNode.flatMap { template(for: $0) }?.steps?.flatMap { $0 } ?? []
        for child in children where child.phase.isFailure {
            let stepName = String(child.displayName.prefix { $0 != "(" })
            let continueOn = steps.first { $0.name == stepName }?.continueOn
            if child.phase == .failed && continueOn?.failed == true { continue }
            if child.phase == .error && continueOn?.error == true { continue }
            complete(groupID, phase: .failed, message: "child '\(child.id)' failed")
            return
        }
        complete(groupID, phase: .succeeded)
    }

    /// Counts settled children incrementally (one full scan when a group is first seen, e.g. after a restore),
    /// so a group of n children costs O(n) in all, not O(n) per child.
    mutating func allChildrenSettled(_ group: NodeStatus, newlySettled childID: String?) -> Bool {
        let children = group.children ?? []
        if settledChildren[group.id] == nil || childID == nil {
            settledChildren[group.id] = Set(children.filter { id in status.nodes[id].map(isSettled) ?? false })
        } else if let childID {
            settledChildren[group.id]?.insert(childID)
        }
        guard (settledChildren[group.id]?.count ?? 0) >= children.count else { return false }
        settledChildren[group.id] = nil
        return true
    }

    /// A StepGroup finished: start the next one, or fail the Steps node.
    mutating func stepGroupCompleted(stepsID: String, groupID: String) {
        guard let group = status.nodes[groupID], let stepsNode = status.nodes[stepsID] else { return }
        if group.phase.isFailure {
            finishScope(stepsID, phase: .failed, message: group.message)
            return
        }
        let index = (stepsNode.children ?? []).firstIndex(of: groupID) ?? 0
        startStepGroup(stepsID: stepsID, index: index + 1)
    }

    /// Completes a Steps or DAG node, computing its declared outputs from its children.
    mutating func finishScope(_ id: String, phase: NodePhase, message: String?) {
        guard let node = status.nodes[id] else { return }
        stopDaemons(inScope: id)
        var outputs: Outputs?
        var finalPhase = phase
        var finalMessage = message
        if phase == .succeeded, let template = template(for: node), let declared = template.outputs?.parameters,
            !declared.isEmpty
        {
            var scope = Scope(node: node)
            scope.siblingsOf = node.id
            var parameters: [Parameter] = []
            for output in declared {
                var parameter = Parameter(name: output.name)
                parameter.globalName = output.globalName
                do {
                    if let reference = output.valueFrom?.parameter {
                        let value = try substitute(reference, in: scope)
                        if TemplateString.mayContainTags(value) {
                            guard let fallback = output.valueFrom?.default else {
                                throw EngineError("unable to resolve outputs.parameters.\(output.name): \(reference)")
                            }
                            parameter.value = fallback
                        } else {
                            parameter.value = AnyString(value)
                        }
                    } else if let expression = output.valueFrom?.expression {
                        parameter.value = AnyString(try substitute("{{=\(expression)}}", in: scope))
                    } else if let value = output.value {
                        parameter.value = AnyString(try substitute(value.value, in: scope))
                    }
                } catch {
                    finalPhase = .error
                    finalMessage = "\(error)"
                }
                parameters.append(parameter)
            }
            outputs = Outputs(parameters: parameters.isEmpty ? nil : parameters)
            if finalPhase == .succeeded { publishGlobalOutputs(parameters) }
        }
        if phase == .succeeded, let template = template(for: node), let declared = template.outputs?.artifacts {
            var scope = Scope(node: node)
            scope.siblingsOf = node.id
            var artifacts: [Artifact] = []
            for output in declared {
                do {
                    if let artifact = try resolveArtifact(output, scope: scope), artifact.hasLocation {
                        artifacts.append(artifact)
                    } else if output.optional != true {
                        throw EngineError("unable to resolve outputs.artifacts.\(output.name)")
                    }
                } catch {
                    finalPhase = .error
                    finalMessage = "\(error)"
                }
            }
            if !artifacts.isEmpty {
                var combined = outputs ?? Outputs()
                combined.artifacts = artifacts
                outputs = combined
                if finalPhase == .succeeded { publishGlobalArtifacts(artifacts) }
            }
        }
        complete(id, phase: finalPhase, message: finalMessage, outputs: outputs)
    }
}
