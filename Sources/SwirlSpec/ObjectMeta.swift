import Foundation

/// Kubernetes object metadata, as much of it as Argo manifests carry.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int?
    public var creationTimestamp: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [JSONValue]?
    public var finalizers: [String]?

    public init(name: String? = nil, generateName: String? = nil, namespace: String? = nil) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
    }
}

/// `metadata` of a template's pod, or `podMetadata` of a workflow.
public struct PodMetadata: Codable, Sendable, Hashable {
    public var labels: [String: String]?
    public var annotations: [String: String]?
}
