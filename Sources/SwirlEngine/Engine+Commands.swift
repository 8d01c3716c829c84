import Foundation
import SwirlSpec

extension WorkflowEngine {
    /// True while `spec.suspend` holds: no new pods start.
    var isSuspended: Bool { workflow.spec.suspend ?? false }

    mutating func setSuspended(_ suspended: Bool) {
        guard !status.phase.isCompleted, isSuspended != suspended else { return }
        workflow.spec.suspend = suspended ? true : nil
        manifestChanged = true
    }

    /// `resume`: lift the workflow's suspension and complete active Suspend nodes.
    mutating func resume(selector: NodeSelector?) {
        setSuspended(false)
        let active = status.nodes.values.filter { $0.type == .suspend && !$0.phase.isCompleted }
            .filter { selector?.matches($0) ?? true }
            .sorted { $0.name < $1.name }
        for node in active {
            var outputs: Outputs?
            if let template = template(for: node) {
                outputs = suppliedOutputs(template, node: node, values: [:])
            }
            complete(node.id, phase: .succeeded, outputs: outputs)
        }
    }

    /// `node set`: supplied outputs, phase and message for the selected nodes.
    mutating func setNode(
        selector: NodeSelector, phase: NodePhase?, message: String?, outputParameters: [String: String]
    ) {
        let nodes = status.nodes.values.filter { selector.matches($0) && !$0.phase.isCompleted }.sorted {
            $0.name < $1.name
        }
        for node in nodes {
            var outputs = node.outputs
            if !outputParameters.isEmpty, let template = template(for: node) {
                outputs = suppliedOutputs(template, node: node, values: outputParameters)
            }
            if var updated = status.nodes[node.id] {
                updated.outputs = outputs
                if let message { updated.message = message }
                put(updated)
            }
            if let phase, phase.isCompleted {
                complete(node.id, phase: phase, message: message, outputs: outputs)
            }
        }
    }

    /// Output parameters of a suspend template: supplied values, else `valueFrom.default`, else `value`.
    func suppliedOutputs(_ template: Template, node: NodeStatus, values: [String: String]) -> Outputs? {
        var parameters = node.outputs?.parameters ?? []
        for declared in template.outputs?.parameters ?? [] {
            let value =
                values[declared.name] ?? parameters.first { $0.name == declared.name }?.value?.value
                ?? declared.valueFrom?.default?.value ?? declared.value?.value
            guard let value else { continue }
            parameters.removeAll { $0.name == declared.name }
            var parameter = Parameter(name: declared.name, value: value)
            parameter.globalName = declared.globalName
            parameters.append(parameter)
        }
        return parameters.isEmpty ? node.outputs : Outputs(parameters: parameters)
    }
}
