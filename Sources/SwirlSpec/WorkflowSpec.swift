import Foundation

/// `spec` of a Workflow, WorkflowTemplate or ClusterWorkflowTemplate (Argo's `WorkflowSpec`, every field).
public struct WorkflowSpec: Codable, Sendable, Hashable {
    public var templates: [Template]?
    public var entrypoint: String?
    public var arguments: Arguments?
    public var serviceAccountName: String?
    public var automountServiceAccountToken: Bool?
    public var executor: JSONValue?
    public var volumes: [Volume]?
    public var volumeClaimTemplates: [JSONValue]?
    public var parallelism: Int?
    public var artifactRepositoryRef: JSONValue?
    public var suspend: Bool?
    public var nodeSelector: [String: String]?
    public var affinity: JSONValue?
    public var tolerations: [JSONValue]?
    public var imagePullSecrets: [JSONValue]?
    public var hostNetwork: Bool?
    public var dnsPolicy: String?
    public var dnsConfig: JSONValue?
    public var onExit: String?
    public var hooks: [String: LifecycleHook]?
    public var ttlStrategy: JSONValue?
    public var activeDeadlineSeconds: Int?
    public var priority: Int?
    public var schedulerName: String?
    public var podGC: JSONValue?
    public var podPriorityClassName: String?
    public var podPriority: Int?
    public var hostAliases: [JSONValue]?
    public var securityContext: JSONValue?
    public var podSpecPatch: String?
    public var podDisruptionBudget: JSONValue?
    public var metrics: JSONValue?
    public var shutdown: String?
    public var workflowTemplateRef: WorkflowTemplateRef?
    public var synchronization: Synchronization?
    public var volumeClaimGC: JSONValue?
    public var retryStrategy: RetryStrategy?
    public var podMetadata: PodMetadata?
    public var templateDefaults: Template?
    public var archiveLogs: Bool?
    public var workflowMetadata: JSONValue?
    public var artifactGC: JSONValue?
    public var executorPlugins: [JSONValue]?
    public var podResources: JSONValue?
    public var resourceClaims: [JSONValue]?

    public init(entrypoint: String? = nil, templates: [Template]? = nil) {
        self.entrypoint = entrypoint
        self.templates = templates
    }

    /// The template with this name, if the spec defines one.
    public func template(named name: String) -> Template? {
        templates?.first { $0.name == name }
    }
}

/// `workflowTemplateRef`: run a stored (Cluster)WorkflowTemplate as the whole workflow.
public struct WorkflowTemplateRef: Codable, Sendable, Hashable {
    public var name: String?
    public var clusterScope: Bool?

    public init(name: String? = nil, clusterScope: Bool? = nil) {
        self.name = name
        self.clusterScope = clusterScope
    }
}

/// `synchronization`: mutexes and semaphores (v4 plural forms and the older singular ones).
public struct Synchronization: Codable, Sendable, Hashable {
    public var mutex: JSONValue?
    public var mutexes: [JSONValue]?
    public var semaphore: JSONValue?
    public var semaphores: [JSONValue]?
}

/// A lifecycle hook (`hooks.<name>`); the key `exit` is an exit handler.
public struct LifecycleHook: Codable, Sendable, Hashable {
    public var template: String?
    public var templateRef: TemplateRef?
    public var arguments: Arguments?
    public var expression: String?

    public init(template: String? = nil, expression: String? = nil) {
        self.template = template
        self.expression = expression
    }
}

/// A Kubernetes volume: its name plus one source kept as written (`emptyDir`, `hostPath`, `persistentVolumeClaim` …).
public struct Volume: Codable, Sendable, Hashable {
    public var name: String
    /// Every key other than `name`, e.g. `["emptyDir": {}]`.
    public var source: [String: JSONValue]

    public init(name: String, source: [String: JSONValue]) {
        self.name = name
        self.source = source
    }

    struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        name = try c.decode(String.self, forKey: DynamicKey(stringValue: "name"))
        var source: [String: JSONValue] = [:]
        for key in c.allKeys where key.stringValue != "name" {
            source[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
        self.source = source
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        try c.encode(name, forKey: DynamicKey(stringValue: "name"))
        for (key, value) in source.sorted(by: { $0.key < $1.key }) {
            try c.encode(value, forKey: DynamicKey(stringValue: key))
        }
    }

    /// True for `emptyDir` volumes, which Swirl backs with a directory.
    public var isEmptyDir: Bool { source["emptyDir"] != nil }
    /// The host path of a `hostPath` volume.
    public var hostPath: String? {
        if case .string(let path)? = source["hostPath"]?["path"] { return path }
        return nil
    }
}
