import Foundation

/// One entry of `spec.templates`: common fields plus at most one template type.
public struct Template: Codable, Sendable, Hashable {
    public var name: String?
    public var inputs: Inputs?
    public var outputs: Outputs?
    public var metadata: PodMetadata?
    public var annotations: [String: String]?
    public var retryStrategy: RetryStrategy?
    public var parallelism: Int?
    public var failFast: Bool?
    public var timeout: String?
    public var activeDeadlineSeconds: IntOrString?
    public var pendingTimeout: String?
    public var synchronization: Synchronization?
    public var memoize: JSONValue?
    public var metrics: JSONValue?
    public var archiveLocation: JSONValue?
    public var daemon: Bool?
    public var volumes: [Volume]?
    public var initContainers: [Container]?
    public var sidecars: [Container]?
    public var nodeSelector: [String: String]?
    public var affinity: JSONValue?
    public var tolerations: [JSONValue]?
    public var schedulerName: String?
    public var priorityClassName: String?
    public var priority: Int?
    public var serviceAccountName: String?
    public var automountServiceAccountToken: Bool?
    public var executor: JSONValue?
    public var hostAliases: [JSONValue]?
    public var securityContext: JSONValue?
    public var podSpecPatch: String?
    public var podResources: JSONValue?
    public var resourceClaims: [JSONValue]?
    public var plugin: JSONValue?

    // Template types.
    public var container: Container?
    public var script: Container?
    public var resource: ResourceTemplate?
    public var dag: DAGTemplate?
    public var steps: [[WorkflowStep]]?
    public var suspend: SuspendTemplate?
    public var data: DataTemplate?
    public var http: HTTPTemplate?
    public var containerSet: ContainerSetTemplate?

    public init(name: String) { self.name = name }

    /// The kind of work this template describes.
    public var kind: TemplateKind {
        if container != nil { return .container }
        if script != nil { return .script }
        if dag != nil { return .dag }
        if steps != nil { return .steps }
        if suspend != nil { return .suspend }
        if resource != nil { return .resource }
        if data != nil { return .data }
        if http != nil { return .http }
        if containerSet != nil { return .containerSet }
        if plugin != nil { return .plugin }
        return .unknown
    }

    /// The template types set on this template, by their YAML key (more than one is an error).
    public var typeKeys: [String] {
        var keys: [String] = []
        if container != nil { keys.append("container") }
        if script != nil { keys.append("script") }
        if dag != nil { keys.append("dag") }
        if steps != nil { keys.append("steps") }
        if suspend != nil { keys.append("suspend") }
        if resource != nil { keys.append("resource") }
        if data != nil { keys.append("data") }
        if http != nil { keys.append("http") }
        if containerSet != nil { keys.append("containerSet") }
        if plugin != nil { keys.append("plugin") }
        return keys
    }
}

/// What a template does; decides the node type and whether a pod runs.
public enum TemplateKind: String, Sendable {
    case container, script, resource, dag, steps, suspend, data, http, containerSet, plugin, unknown

    /// True for templates that run as a pod (a process) rather than inside the controller.
    public var runsPod: Bool {
        switch self {
        case .container, .script, .resource, .data, .containerSet: return true
        default: return false
        }
    }
}

/// A Kubernetes container (also used for `script`, `initContainers`, `sidecars` and containerSet members).
public struct Container: Codable, Sendable, Hashable {
    public var name: String?
    public var image: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var env: [EnvVar]?
    public var envFrom: [JSONValue]?
    public var volumeMounts: [VolumeMount]?
    public var volumeDevices: [JSONValue]?
    public var resources: JSONValue?
    public var resizePolicy: [JSONValue]?
    public var restartPolicy: String?
    public var ports: [JSONValue]?
    public var livenessProbe: JSONValue?
    public var readinessProbe: JSONValue?
    public var startupProbe: JSONValue?
    public var lifecycle: JSONValue?
    public var securityContext: JSONValue?
    public var imagePullPolicy: String?
    public var terminationMessagePath: String?
    public var terminationMessagePolicy: String?
    public var stdin: Bool?
    public var stdinOnce: Bool?
    public var tty: Bool?
    /// `script` only: the program text.
    public var source: String?
    /// `sidecars` only.
    public var mirrorVolumeMounts: Bool?
    /// `containerSet` members only.
    public var dependencies: [String]?

    public init(image: String? = nil, command: [String]? = nil, args: [String]? = nil) {
        self.image = image
        self.command = command
        self.args = args
    }
}

/// An environment variable of a container.
public struct EnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String?
    public var valueFrom: JSONValue?
}

/// Where a volume appears inside a container.
public struct VolumeMount: Codable, Sendable, Hashable {
    public var name: String
    public var mountPath: String
    public var subPath: String?
    public var subPathExpr: String?
    public var readOnly: Bool?
    public var mountPropagation: String?
    public var recursiveReadOnly: String?
}

/// `resource` template (needs the kubernetes executor).
public struct ResourceTemplate: Codable, Sendable, Hashable {
    public var action: String?
    public var manifest: String?
    public var manifestFrom: JSONValue?
    public var mergeStrategy: String?
    public var successCondition: String?
    public var failureCondition: String?
    public var setOwnerReference: Bool?
    public var flags: [String]?
}

/// `suspend` template.
public struct SuspendTemplate: Codable, Sendable, Hashable {
    public var duration: AnyString?
}

/// `data` template.
public struct DataTemplate: Codable, Sendable, Hashable {
    public var source: JSONValue?
    public var transformation: [JSONValue]?
}

/// `http` template.
public struct HTTPTemplate: Codable, Sendable, Hashable {
    public var url: String?
    public var method: String?
    public var headers: [JSONValue]?
    public var body: String?
    public var bodyFrom: JSONValue?
    public var timeoutSeconds: Int?
    public var successCondition: String?
    public var insecureSkipVerify: Bool?
}

/// `containerSet` template: several containers in one pod.
public struct ContainerSetTemplate: Codable, Sendable, Hashable {
    public var containers: [Container]?
    public var volumeMounts: [VolumeMount]?
    public var retryStrategy: JSONValue?
}

/// `retryStrategy`.
public struct RetryStrategy: Codable, Sendable, Hashable {
    public var limit: IntOrString?
    public var retryPolicy: String?
    public var backoff: Backoff?
    public var expression: String?
    public var affinity: JSONValue?

    public init(limit: IntOrString? = nil, retryPolicy: String? = nil) {
        self.limit = limit
        self.retryPolicy = retryPolicy
    }
}

/// `retryStrategy.backoff`.
public struct Backoff: Codable, Sendable, Hashable {
    public var duration: AnyString?
    public var factor: IntOrString?
    public var cap: AnyString?
    public var maxDuration: AnyString?
}
