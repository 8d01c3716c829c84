import Foundation
import SwirlSpec

/// Everything an executor needs to run one pod: the engine fully resolves it, so executors never read templates.
public struct PodRequest: Codable, Sendable, Hashable {
    /// Workflow name and uid, for directories and logs.
    public var workflowName: String
    public var workflowUID: String
    /// The node this pod runs for.
    public var nodeID: String
    /// Deterministic pod name (Argo's v2 pod name); starting the same pod twice starts it once.
    public var podName: String
    /// The main container with every `{{…}}` already substituted.
    public var image: String?
    /// The final argv: `command` + `args` combined as Kubernetes combines them with the image
    /// (empty when the template relies on the image's entrypoint).
    public var argv: [String]
    public var env: [String: String]
    public var workingDir: String?
    public var volumeMounts: [VolumeMount]
    /// Volumes visible to this pod: workflow-level ones and the template's own.
    public var workflowVolumes: [Volume]
    public var templateVolumes: [Volume]
    /// For script templates: the source to write to a file whose path is appended to `argv`.
    public var scriptSource: String?
    /// Output parameters read from files after the step ends: name → path in the step's view.
    public var outputParameterPaths: [String: String]
    /// Seconds after which the pod is killed (template `activeDeadlineSeconds` / `timeout`), if any.
    public var deadlineSeconds: Double?
    /// Input artifacts to place before the step runs.
    public var inputArtifacts: [ArtifactPlacement] = []
    /// Output artifacts to save after the step ends.
    public var outputArtifacts: [ArtifactCapture] = []
    /// When set, the step's combined logs are saved to the repository under this key (`archiveLogs`).
    public var archiveLogsKey: String?
    /// `daemon: true`: the pod keeps running while the workflow goes on; the executor reports when it is ready.
    public var daemon = false
    /// When a daemon counts as ready (nil: as soon as it runs).
    public var readinessProbe: ReadinessProbe?
    /// For `http` templates: the request the executor sends instead of running a command.
    public var http: HTTPCall?

    public init(
        workflowName: String, workflowUID: String, nodeID: String, podName: String, image: String?,
        argv: [String], env: [String: String] = [:], workingDir: String? = nil, volumeMounts: [VolumeMount] = [],
        workflowVolumes: [Volume] = [], templateVolumes: [Volume] = [], scriptSource: String? = nil,
        outputParameterPaths: [String: String] = [:], deadlineSeconds: Double? = nil
    ) {
        self.workflowName = workflowName
        self.workflowUID = workflowUID
        self.nodeID = nodeID
        self.podName = podName
        self.image = image
        self.argv = argv
        self.env = env
        self.workingDir = workingDir
        self.volumeMounts = volumeMounts
        self.workflowVolumes = workflowVolumes
        self.templateVolumes = templateVolumes
        self.scriptSource = scriptSource
        self.outputParameterPaths = outputParameterPaths
        self.deadlineSeconds = deadlineSeconds
    }
}

/// An `http` template's request with every `{{…}}` substituted. The executor sends it and reports the response as a
/// pod result: exit code 0 once a response came (whatever its status), the body as stdout, the status code as the
/// output parameter `WorkflowEngine.httpStatusOutput`; no response (refused, timed out, bad URL) is exit code 1 with
/// the reason as the error.
public struct HTTPCall: Codable, Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [Header]
    public var body: String?
    public var timeoutSeconds: Double
    public var insecureSkipVerify: Bool

    public struct Header: Codable, Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        method: String, url: String, headers: [Header] = [], body: String? = nil, timeoutSeconds: Double = 30,
        insecureSkipVerify: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// What a finished pod left behind, as the supervisor writes it (`result.json`) and the executor reports it.
public struct PodResult: Codable, Sendable, Hashable {
    /// The main process's exit code; nil when it never ran (sandbox or spawn failure).
    public var exitCode: Int32?
    /// Set when the step could not be run at all (the node becomes Error) or was killed.
    public var error: String?
    /// Output parameter values read from `outputParameterPaths`; a missing file is absent here.
    public var outputParameters: [String: String]
    /// Output parameters whose file could not be read, with the reason.
    public var missingOutputs: [String: String]
    /// Output artifacts saved: name → repository key. Optional ones that were missing are absent.
    public var savedArtifacts: [String: String] = [:]
    /// Artifacts (input or output) that failed, with the reason; a non-optional failure makes the node Error.
    public var artifactErrors: [String: String] = [:]
    /// The step's stdout, trimmed of one trailing newline (Argo's `outputs.result`), capped in size.
    public var stdout: String?
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(
        exitCode: Int32?, error: String? = nil, outputParameters: [String: String] = [:],
        missingOutputs: [String: String] = [:], stdout: String? = nil, startedAt: Date? = nil, finishedAt: Date? = nil
    ) {
        self.exitCode = exitCode
        self.error = error
        self.outputParameters = outputParameters
        self.missingOutputs = missingOutputs
        self.stdout = stdout
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

// Lenient decoding: a pod started by an older or newer swirl (its request.json / result.json) still reads.
extension PodRequest {
    enum CodingKeys: String, CodingKey {
        case workflowName, workflowUID, nodeID, podName, image, argv, env, workingDir, volumeMounts
        case workflowVolumes, templateVolumes, scriptSource, outputParameterPaths, deadlineSeconds
        case inputArtifacts, outputArtifacts, archiveLogsKey, daemon, readinessProbe, http
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            workflowName: try c.decode(String.self, forKey: .workflowName),
            workflowUID: try c.decode(String.self, forKey: .workflowUID),
            nodeID: try c.decode(String.self, forKey: .nodeID), podName: try c.decode(String.self, forKey: .podName),
            image: try c.decodeIfPresent(String.self, forKey: .image),
            argv: try c.decodeIfPresent([String].self, forKey: .argv) ?? [],
            env: try c.decodeIfPresent([String: String].self, forKey: .env) ?? [:],
            workingDir: try c.decodeIfPresent(String.self, forKey: .workingDir),
            volumeMounts: try c.decodeIfPresent([VolumeMount].self, forKey: .volumeMounts) ?? [],
            workflowVolumes: try c.decodeIfPresent([Volume].self, forKey: .workflowVolumes) ?? [],
            templateVolumes: try c.decodeIfPresent([Volume].self, forKey: .templateVolumes) ?? [],
            scriptSource: try c.decodeIfPresent(String.self, forKey: .scriptSource),
            outputParameterPaths: try c.decodeIfPresent([String: String].self, forKey: .outputParameterPaths) ?? [:],
            deadlineSeconds: try c.decodeIfPresent(Double.self, forKey: .deadlineSeconds))
        inputArtifacts = try c.decodeIfPresent([ArtifactPlacement].self, forKey: .inputArtifacts) ?? []
        outputArtifacts = try c.decodeIfPresent([ArtifactCapture].self, forKey: .outputArtifacts) ?? []
        archiveLogsKey = try c.decodeIfPresent(String.self, forKey: .archiveLogsKey)
        daemon = try c.decodeIfPresent(Bool.self, forKey: .daemon) ?? false
        readinessProbe = try c.decodeIfPresent(ReadinessProbe.self, forKey: .readinessProbe)
        http = try c.decodeIfPresent(HTTPCall.self, forKey: .http)
    }
}

/// A container's readiness probe as the executor runs it (Kubernetes' `readinessProbe`, resolved).
public struct ReadinessProbe: Codable, Sendable, Hashable {
    public enum Check: Codable, Sendable, Hashable {
        /// Ready when the command, run inside the step's sandbox view, exits 0.
        case exec([String])
        /// Ready when `GET http://127.0.0.1:PORT/PATH` answers with a status from 200 to 399.
        case httpGet(port: Int, path: String)
        /// Ready when a TCP connection to 127.0.0.1:PORT succeeds.
        case tcpSocket(port: Int)
    }

    public var check: Check
    public var initialDelaySeconds: Double
    public var periodSeconds: Double

    public init(check: Check, initialDelaySeconds: Double = 0, periodSeconds: Double = 10) {
        self.check = check
        self.initialDelaySeconds = initialDelaySeconds
        self.periodSeconds = periodSeconds
    }
}

extension PodResult {
    enum CodingKeys: String, CodingKey {
        case exitCode, error, outputParameters, missingOutputs, stdout, startedAt, finishedAt, savedArtifacts
        case artifactErrors
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            exitCode: try c.decodeIfPresent(Int32.self, forKey: .exitCode),
            error: try c.decodeIfPresent(String.self, forKey: .error),
            outputParameters: try c.decodeIfPresent([String: String].self, forKey: .outputParameters) ?? [:],
            missingOutputs: try c.decodeIfPresent([String: String].self, forKey: .missingOutputs) ?? [:],
            stdout: try c.decodeIfPresent(String.self, forKey: .stdout),
            startedAt: try c.decodeIfPresent(Date.self, forKey: .startedAt),
            finishedAt: try c.decodeIfPresent(Date.self, forKey: .finishedAt))
        savedArtifacts = try c.decodeIfPresent([String: String].self, forKey: .savedArtifacts) ?? [:]
        artifactErrors = try c.decodeIfPresent([String: String].self, forKey: .artifactErrors) ?? [:]
    }
}
