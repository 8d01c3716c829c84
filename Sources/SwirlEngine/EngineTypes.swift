import Foundation
import SwirlSpec

/// Something that happened to a workflow, fed to `WorkflowEngine.handle`.
public enum EngineEvent: Sendable, Hashable {
    /// Start the workflow (first event of a new workflow).
    case start
    /// A pod's process started.
    case podStarted(nodeID: String, at: Date)
    /// A daemon pod (`daemon: true`) passed its readiness probe and serves: dependents may start.
    case podReady(nodeID: String)
    /// A pod finished (or could not run); the result comes from its supervisor.
    case podFinished(nodeID: String, result: PodResult)
    /// A timer the engine asked for (`EngineAction.wakeAt`) fired, or the controller resumed the workflow.
    case wake
    /// `swirl stop` (exit handlers run) or `swirl terminate` (nothing more runs).
    case shutdown(terminate: Bool)
    /// `swirl suspend`: start no new pods until resumed.
    case suspend
    /// `swirl resume`: lift the suspension and complete active Suspend nodes (those matching the selector, if any).
    case resume(selector: NodeSelector?)
    /// Every lock a holder asked for is now its own.
    case locksGranted(holder: String)
    /// The answer to `EngineAction.memoLookup`: the cached outputs, or nil on a miss.
    case memoResult(nodeID: String, outputs: Outputs?)
    /// `swirl node set`: set a node's phase, message and output parameters (completes Suspend nodes).
    case setNode(selector: NodeSelector, phase: NodePhase?, message: String?, outputParameters: [String: String])
}

/// Argo's `--node-field-selector` (`displayName=x`, `name=wf.a`, `templateName=t`, `phase=Running`, `id=…`),
/// comma-separated terms that must all hold; `!=` negates a term.
public struct NodeSelector: Sendable, Hashable, Codable {
    public var terms: [Term]

    public struct Term: Sendable, Hashable, Codable {
        public var field: String
        public var value: String
        public var negated: Bool
    }

    /// Parses `field=value,field!=value`; nil with a message when malformed.
    public init(parsing text: String) throws {
        var terms: [Term] = []
        for part in text.split(separator: ",") {
            let negated = part.contains("!=")
            let pieces = part.components(separatedBy: negated ? "!=" : "=")
            guard pieces.count == 2, !pieces[0].isEmpty else {
                throw EngineError("bad node field selector '\(part)', expected field=value")
            }
            let field = pieces[0].trimmingCharacters(in: .whitespaces)
            let known = [
                "displayName", "name", "templateName", "phase", "id", "type", "templateRef.name",
                "templateRef.template",
            ]
            guard known.contains(field) else {
                throw EngineError("unknown node field '\(field)', expected one of \(known.joined(separator: ", "))")
            }
            terms.append(Term(field: field, value: pieces[1].trimmingCharacters(in: .whitespaces), negated: negated))
        }
        self.terms = terms
    }

    /// True when every term holds for the node.
    public func matches(_ node: NodeStatus) -> Bool {
        terms.allSatisfy { term in
            let actual: String?
            switch term.field {
            case "displayName": actual = node.displayName
            case "name": actual = node.name
            case "templateName": actual = node.templateName
            case "phase": actual = node.phase.rawValue
            case "id": actual = node.id
            case "type": actual = node.type.rawValue
            case "templateRef.name": actual = node.templateRef?.name
            case "templateRef.template": actual = node.templateRef?.template
            default: actual = nil
            }
            return (actual == term.value) != term.negated
        }
    }
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
    /// Look a memoized template up in a cache; answer with `EngineEvent.memoResult`.
    case memoLookup(nodeID: String, cache: String, key: String, maxAgeSeconds: Double?)
    /// Remember a memoized template's outputs.
    case memoSave(cache: String, key: String, outputs: Outputs)
    /// Acquire every lock for `holder` (the workflow's uid, or `uid/nodeID`); answer with `locksGranted`.
    case acquireLocks(holder: String, locks: [LockRequest])
    /// Release the locks of `holder`.
    case releaseLocks(holder: String, locks: [LockRequest])
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
