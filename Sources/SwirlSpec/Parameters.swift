import Foundation

/// `arguments` of a workflow or of a step/task.
public struct Arguments: Codable, Sendable, Hashable {
    public var parameters: [Parameter]?
    public var artifacts: [Artifact]?

    public init(parameters: [Parameter]? = nil, artifacts: [Artifact]? = nil) {
        self.parameters = parameters
        self.artifacts = artifacts
    }
}

/// `inputs` of a template.
public struct Inputs: Codable, Sendable, Hashable {
    public var parameters: [Parameter]?
    public var artifacts: [Artifact]?

    public init(parameters: [Parameter]? = nil, artifacts: [Artifact]? = nil) {
        self.parameters = parameters
        self.artifacts = artifacts
    }
}

/// `outputs` of a template (and of a node).
public struct Outputs: Codable, Sendable, Hashable {
    public var parameters: [Parameter]?
    public var artifacts: [Artifact]?
    public var result: String?
    public var exitCode: String?

    public init(
        parameters: [Parameter]? = nil, artifacts: [Artifact]? = nil, result: String? = nil, exitCode: String? = nil
    ) {
        self.parameters = parameters
        self.artifacts = artifacts
        self.result = result
        self.exitCode = exitCode
    }

    /// True when nothing is set.
    public var isEmpty: Bool {
        (parameters ?? []).isEmpty && (artifacts ?? []).isEmpty && result == nil && exitCode == nil
    }
}

/// A parameter: an input, an argument or an output.
public struct Parameter: Codable, Sendable, Hashable {
    public var name: String
    public var value: AnyString?
    public var `default`: AnyString?
    public var `enum`: [AnyString]?
    public var description: String?
    public var globalName: String?
    public var valueFrom: ValueFrom?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value.map { AnyString($0) }
    }
}

/// `valueFrom` of a parameter.
public struct ValueFrom: Codable, Sendable, Hashable {
    public var path: String?
    public var jsonPath: String?
    public var jqFilter: String?
    public var parameter: String?
    public var expression: String?
    public var supplied: JSONValue?
    public var configMapKeyRef: JSONValue?
    public var event: String?
    public var `default`: AnyString?
}

/// An artifact: an input, an argument or an output (kept whole; artifacts arrive with their own issue).
public struct Artifact: Codable, Sendable, Hashable {
    public var name: String
    public var path: String?
    public var mode: Int?
    public var recurseMode: Bool?
    public var from: String?
    public var fromExpression: String?
    public var subPath: String?
    public var optional: Bool?
    public var globalName: String?
    public var archive: JSONValue?
    public var archiveLogs: Bool?
    public var artifactGC: JSONValue?
    public var deleted: Bool?
    public var s3: JSONValue?
    public var gcs: JSONValue?
    public var azure: JSONValue?
    public var oss: JSONValue?
    public var hdfs: JSONValue?
    public var artifactory: JSONValue?
    public var http: JSONValue?
    public var git: JSONValue?
    public var raw: JSONValue?
    public var plugin: JSONValue?
}
