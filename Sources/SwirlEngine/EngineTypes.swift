import Foundation
import SwirlSpec

/// Something that happened to a workflow, fed to `WorkflowEngine.handle`.
public enum EngineEvent: Sendable, Hashable {
    /// Start the workflow (first event of a new workflow).
    case start
    /// A pod's process started.
    case podStarted(nodeID: String, at: Date)
    /// A pod finished (or could not run); the result comes from its supervisor.
    case podFinished(nodeID: String, result: PodResult)
    /// A timer the engine asked for (`EngineAction.wakeAt`) fired, or the controller resumed the workflow.
    case wake
    /// `swirl stop` (exit handlers run) or `swirl terminate` (nothing more runs).
    case shutdown(terminate: Bool)
}

/// Something the engine wants done; the controller performs it *after* committing the new state.
public enum EngineAction: Sendable, Hashable {
    /// Start a pod. Idempotent: the pod name is deterministic.
    case startPod(PodRequest)
    /// Kill a running pod (shutdown, deadline).
    case killPod(nodeID: String, podName: String)
    /// Call `handle(.wake)` at (or after) this time.
    case wakeAt(Date)
    /// The workflow reached a final phase.
    case completed(WorkflowPhase)
}

/// Templates stored beside the workflow, for `templateRef` (WorkflowTemplate / ClusterWorkflowTemplate name → spec).
public struct TemplateLibrary: Sendable {
    public var namespaced: [String: WorkflowSpec]
    public var cluster: [String: WorkflowSpec]

    public init(namespaced: [String: WorkflowSpec] = [:], cluster: [String: WorkflowSpec] = [:]) {
        self.namespaced = namespaced
        self.cluster = cluster
    }

    /// The referenced template, if it exists.
    public func template(_ ref: TemplateRef) -> Template? {
        guard let name = ref.name, let templateName = ref.template else { return nil }
        let spec = (ref.clusterScope ?? false) ? cluster[name] : namespaced[name]
        return spec?.template(named: templateName)
    }
}

/// Argo's deterministic node IDs and pod names (FNV-1a 32-bit of the node name).
public enum NodeNaming {
    public static func fnv32a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// `<wf>-<fnv32a(nodeName)>`, or the workflow name for the root node.
    public static func nodeID(workflowName: String, nodeName: String) -> String {
        nodeName == workflowName ? workflowName : "\(workflowName)-\(fnv32a(nodeName))"
    }

    /// Argo's v2 pod name: `<wf>-<template>-<fnv32a(nodeName)>` with the prefix capped at 242 characters.
    public static func podName(workflowName: String, nodeName: String, templateName: String) -> String {
        if nodeName == workflowName { return workflowName }
        var prefix = templateName.isEmpty ? workflowName : "\(workflowName)-\(templateName)"
        if prefix.count > 242 { prefix = String(prefix.prefix(242)) }
        return "\(prefix)-\(fnv32a(nodeName))"
    }
}
