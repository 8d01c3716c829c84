import Foundation
import SwirlSpec

/// Argo's node phases.
public enum NodePhase: String, Codable, Sendable, Hashable {
    case pending = "Pending"
    case running = "Running"
    case succeeded = "Succeeded"
    case skipped = "Skipped"
    case failed = "Failed"
    case error = "Error"
    case omitted = "Omitted"

    /// True once the node will not change any more.
    public var isCompleted: Bool {
        switch self {
        case .succeeded, .skipped, .failed, .error, .omitted: return true
        case .pending, .running: return false
        }
    }

    /// True for Failed and Error.
    public var isFailure: Bool { self == .failed || self == .error }
}

/// Argo's node types.
public enum NodeType: String, Codable, Sendable, Hashable {
    case pod = "Pod"
    case container = "Container"
    case steps = "Steps"
    case stepGroup = "StepGroup"
    case dag = "DAG"
    case taskGroup = "TaskGroup"
    case retry = "Retry"
    case skipped = "Skipped"
    case suspend = "Suspend"
    case http = "HTTP"
    case plugin = "Plugin"
}

/// One node of a workflow's status, in Argo's JSON shape (`status.nodes[id]`).
public struct NodeStatus: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var displayName: String
    public var type: NodeType
    public var templateName: String?
    public var templateRef: TemplateRef?
    public var templateScope: String?
    public var phase: NodePhase
    public var boundaryID: String?
    public var message: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var progress: String?
    public var podIP: String?
    public var daemoned: Bool?
    public var inputs: Inputs?
    public var outputs: Outputs?
    public var children: [String]?
    public var outboundNodes: [String]?
    public var hostNodeName: String?
    /// The pod that ran this node (Pod nodes only; Argo derives it, Swirl stores it for `get` and `logs`).
    public var podName: String?
    /// Argo's `memoizationStatus`: whether the outputs came from the cache.
    public var memoizationStatus: MemoizationStatus?
    /// Argo's `synchronizationStatus`: the lock the node waits for or holds.
    public var synchronizationStatus: SynchronizationStatus?

    public init(id: String, name: String, displayName: String, type: NodeType, phase: NodePhase = .pending) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.type = type
        self.phase = phase
    }

    /// True when dependents may go on: completed (skipped and omitted included), or a daemon serving (Argo's
    /// `Fulfilled`: a daemoned node that is not Pending).
    public var isFulfilled: Bool { phase.isCompleted || (daemoned == true && phase != .pending) }
}

/// The workflow's phase (Argo: "" Unknown, Pending, Running, Succeeded, Failed, Error).
public enum WorkflowPhase: String, Codable, Sendable, Hashable {
    case unknown = ""
    case pending = "Pending"
    case running = "Running"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case error = "Error"

    /// True once the workflow is finished.
    public var isCompleted: Bool { self == .succeeded || self == .failed || self == .error }
}

/// Argo's `memoizationStatus` of a node.
public struct MemoizationStatus: Codable, Sendable, Hashable {
    public var hit: Bool
    public var key: String
    public var cacheName: String

    public init(hit: Bool, key: String, cacheName: String) {
        self.hit = hit
        self.key = key
        self.cacheName = cacheName
    }
}
