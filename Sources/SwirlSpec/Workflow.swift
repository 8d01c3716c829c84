import Foundation

/// The kinds of `argoproj.io/v1alpha1` object Swirl reads.
public enum ManifestKind: String, Codable, Sendable, CaseIterable {
    case workflow = "Workflow"
    case workflowTemplate = "WorkflowTemplate"
    case clusterWorkflowTemplate = "ClusterWorkflowTemplate"
    case cronWorkflow = "CronWorkflow"
}

/// An Argo `Workflow`, `WorkflowTemplate` or `ClusterWorkflowTemplate`: all three share `WorkflowSpec`.
public struct Workflow: Codable, Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: WorkflowSpec

    public init(
        apiVersion: String = "argoproj.io/v1alpha1", kind: String = "Workflow", metadata: ObjectMeta, spec: WorkflowSpec
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? "argoproj.io/v1alpha1"
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "Workflow"
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try c.decodeIfPresent(WorkflowSpec.self, forKey: .spec) ?? WorkflowSpec()
    }
}

/// A `CronWorkflow`: a schedule plus the spec of the workflows it creates.
public struct CronWorkflow: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: CronWorkflowSpec

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try c.decode(CronWorkflowSpec.self, forKey: .spec)
    }
}

/// The spec of a `CronWorkflow`.
public struct CronWorkflowSpec: Codable, Sendable, Hashable {
    public var schedule: String?
    public var schedules: [String]?
    public var timezone: String?
    public var concurrencyPolicy: String?
    public var startingDeadlineSeconds: Int?
    public var suspend: Bool?
    public var successfulJobsHistoryLimit: Int?
    public var failedJobsHistoryLimit: Int?
    public var stopStrategy: JSONValue?
    public var when: String?
    public var workflowMetadata: JSONValue?
    public var workflowSpec: WorkflowSpec
}
