import Foundation
import SwirlEngine
import SwirlSpec

/// Hand-built workflows for the printer tests. Times are on 2006-01-02 (a Monday), UTC.
enum Fx {
    static let utc = TimeZone(identifier: "UTC")!

    /// 2006-01-02T10:00:00Z plus `seconds`.
    static func t(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: 1_136_196_000 + seconds)
    }

    static func node(
        _ id: String, _ name: String, display: String? = nil, _ type: NodeType,
        _ phase: NodePhase = .succeeded, template: String? = nil, boundary: String? = nil,
        children: [String]? = nil, start: Double? = nil, end: Double? = nil,
        pod: String? = nil, message: String? = nil
    ) -> NodeStatus {
        var n = NodeStatus(id: id, name: name, displayName: display ?? name, type: type, phase: phase)
        n.templateName = template
        n.boundaryID = boundary
        n.children = children
        n.startedAt = start.map(t)
        n.finishedAt = end.map(t)
        n.podName = pod ?? (type == .pod ? id : nil)
        n.message = message
        return n
    }

    static func workflow(
        _ name: String, _ phase: WorkflowPhase = .succeeded, nodes: [NodeStatus],
        start: Double? = 0, end: Double? = nil, created: Double? = 0,
        progress: String? = nil
    ) -> WorkflowObject {
        var meta = ObjectMeta(name: name, namespace: "argo")
        meta.creationTimestamp = created.map { ArgoTime.format(t($0)) }
        var status = WorkflowStatus(phase: phase)
        for n in nodes { status.nodes[n.id] = n }
        status.startedAt = start.map(t)
        status.finishedAt = end.map(t)
        status.progress = progress
        return WorkflowObject(
            workflow: Workflow(metadata: meta, spec: WorkflowSpec(entrypoint: "main")), status: status)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T {
        try! JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// The `steps-z2zdn` workflow of argo-spec.md §9 (three pods in two step groups).
    static func stepsExample() -> WorkflowObject {
        var wf = workflow(
            "steps-z2zdn",
            nodes: [
                node(
                    "steps-z2zdn", "steps-z2zdn", .steps, template: "hello-hello-hello",
                    children: ["steps-z2zdn-sg0"], start: 0, end: 10),
                node(
                    "steps-z2zdn-sg0", "steps-z2zdn[0]", display: "[0]", .stepGroup, boundary: "steps-z2zdn",
                    children: ["steps-z2zdn-27420706"], start: 0, end: 2),
                node(
                    "steps-z2zdn-27420706", "steps-z2zdn[0].hello1", display: "hello1", .pod, template: "print-message",
                    boundary: "steps-z2zdn", children: ["steps-z2zdn-sg1"], start: 0, end: 2),
                node(
                    "steps-z2zdn-sg1", "steps-z2zdn[1]", display: "[1]", .stepGroup, boundary: "steps-z2zdn",
                    children: ["steps-z2zdn-2006760091", "steps-z2zdn-2023537710"], start: 3, end: 6),
                node(
                    "steps-z2zdn-2023537710", "steps-z2zdn[1].hello2b", display: "hello2b", .pod,
                    template: "print-message", boundary: "steps-z2zdn", start: 3, end: 6),
                node(
                    "steps-z2zdn-2006760091", "steps-z2zdn[1].hello2a", display: "hello2a", .pod,
                    template: "print-message", boundary: "steps-z2zdn", start: 3, end: 6),
            ], end: 10, progress: "3/3")
        wf.status.conditions = [
            Condition(type: "PodRunning", status: "False"), Condition(type: "Completed", status: "True"),
        ]
        return wf
    }

    /// A DAG diamond A → (B, C) → D.
    static func diamond() -> WorkflowObject {
        workflow(
            "dag-x",
            nodes: [
                node("dag-x", "dag-x", .dag, template: "diamond", children: ["dag-x-1"], start: 0, end: 20),
                node(
                    "dag-x-1", "dag-x.A", display: "A", .pod, template: "echo", boundary: "dag-x",
                    children: ["dag-x-3", "dag-x-2"], start: 0, end: 2, pod: "dag-x-echo-1"),
                node(
                    "dag-x-3", "dag-x.C", display: "C", .pod, template: "echo", boundary: "dag-x",
                    children: ["dag-x-4"], start: 5, end: 7, pod: "dag-x-echo-3"),
                node(
                    "dag-x-2", "dag-x.B", display: "B", .pod, template: "echo", boundary: "dag-x",
                    children: ["dag-x-4"], start: 5, end: 8, pod: "dag-x-echo-2"),
                node(
                    "dag-x-4", "dag-x.D", display: "D", .pod, template: "echo", boundary: "dag-x",
                    start: 10, end: 12, pod: "dag-x-echo-4"),
            ], end: 20, progress: "4/4")
    }
}
