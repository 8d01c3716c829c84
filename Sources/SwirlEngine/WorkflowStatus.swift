import Foundation
import SwirlSpec

/// A workflow's `status` in Argo's shape; `nodes` is keyed by node ID.
public struct WorkflowStatus: Codable, Sendable, Hashable {
    public var phase: WorkflowPhase
    public var startedAt: Date?
    public var finishedAt: Date?
    public var message: String?
    public var progress: String?
    public var nodes: [String: NodeStatus]
    public var outputs: Outputs?
    public var conditions: [Condition]?

    public init(phase: WorkflowPhase = .pending, nodes: [String: NodeStatus] = [:]) {
        self.phase = phase
        self.nodes = nodes
    }
}

/// A status condition (`Completed`, `PodRunning` …).
public struct Condition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var message: String?

    public init(type: String, status: String, message: String? = nil) {
        self.type = type
        self.status = status
        self.message = message
    }
}

/// A whole workflow as Argo prints it (`argo get -o json`): manifest plus status.
public struct WorkflowObject: Codable, Sendable {
    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: WorkflowSpec
    public var status: WorkflowStatus

    public init(workflow: Workflow, status: WorkflowStatus) {
        apiVersion = workflow.apiVersion
        kind = "Workflow"
        metadata = workflow.metadata
        spec = workflow.spec
        self.status = status
    }

    /// The manifest part, without status.
    public var workflow: Workflow { Workflow(apiVersion: apiVersion, kind: kind, metadata: metadata, spec: spec) }

    /// A JSON encoder producing Argo's shape: RFC 3339 times in UTC, second precision.
    public static func jsonEncoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(ArgoTime.format(date))
        }
        return encoder
    }

    /// The encoder of stored rows: times as fractional seconds since 1970 (sub-millisecond precision, fast).
    public static func storageEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

    /// The decoder of stored rows.
    public static func storageDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// The matching decoder.
    public static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let date = ArgoTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad time '\(text)'")
            }
            return date
        }
        return decoder
    }
}

/// Kubernetes' time format (`2024-01-02T10:00:00Z`).
public enum ArgoTime {
    /// `2024-01-02T10:00:00Z`: UTC, whole seconds (truncated). By hand: Foundation's ISO 8601 style took several
    /// microseconds per call, which showed when printing 100,000 nodes.
    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int32, _ count: Int) {
            var divisor: Int32 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(parts.tm_year + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
