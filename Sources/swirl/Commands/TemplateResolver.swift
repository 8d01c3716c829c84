import Foundation
import SwirlEngine
import SwirlSpec
import SwirlStore

/// Resolves `spec.workflowTemplateRef` at submit time: the stored template's spec with the workflow's own fields
/// laid over it (arguments merged by name, as Argo merges them).
enum TemplateResolver {
    static func inline(_ workflow: Workflow, store: any WorkflowStore) throws -> Workflow {
        guard let ref = workflow.spec.workflowTemplateRef, let refName = ref.name else { return workflow }
        let kind = ref.clusterScope == true ? "ClusterWorkflowTemplate" : "WorkflowTemplate"
        guard let stored = try store.template(kind: kind, name: refName) else {
            let known = try store.listTemplates(kind: kind).map(\.name)
            let hint =
                known.filter { editDistance($0, refName) <= max(2, refName.count / 3) }
                .min { editDistance($0, refName) < editDistance($1, refName) }.map { ", did you mean '\($0)'?" } ?? ""
            throw CLIError("spec.workflowTemplateRef: \(kind) '\(refName)' not found\(hint)")
        }
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        guard case .object(var base) = try decoder.decode(JSONValue.self, from: encoder.encode(stored.workflow.spec)),
            case .object(let overlay) = try decoder.decode(JSONValue.self, from: encoder.encode(workflow.spec))
        else { return workflow }
        for (key, value) in overlay where key != "workflowTemplateRef" {
            switch key {
            case "arguments": base[key] = mergeArguments(base[key], value)
            case "templates":
                if case .array(let extra) = value, case .array(let existing)? = base[key] {
                    base[key] = .array(existing + extra)
                } else {
                    base[key] = value
                }
            default: base[key] = value
            }
        }
        var resolved = workflow
        resolved.spec = try decoder.decode(WorkflowSpec.self, from: encoder.encode(JSONValue.object(base)))
        var labels = resolved.metadata.labels ?? [:]
        labels[
            ref.clusterScope == true
                ? "workflows.argoproj.io/cluster-workflow-template" : "workflows.argoproj.io/workflow-template"] =
            refName
        resolved.metadata.labels = labels
        return resolved
    }

    static func mergeArguments(_ base: JSONValue?, _ overlay: JSONValue) -> JSONValue {
        guard case .object(var merged)? = base, case .object(let over) = overlay else { return overlay }
        for kind in ["parameters", "artifacts"] {
            guard case .array(let extra)? = over[kind] else { continue }
            var list: [JSONValue] = []
            if case .array(let existing)? = merged[kind] { list = existing }
            for item in extra {
                if let index = list.firstIndex(where: { $0["name"] == item["name"] }) {
                    list[index] = item
                } else {
                    list.append(item)
                }
            }
            merged[kind] = .array(list)
        }
        return .object(merged)
    }
}
