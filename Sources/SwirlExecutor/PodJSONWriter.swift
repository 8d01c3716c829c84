import Foundation
import SwirlEngine
import SwirlSpec

/// `request.json` and `result.json` written byte by byte, for the shapes almost every step has (no volumes,
/// artifacts, probe or http call): `JSONEncoder` cost about a tenth of a millisecond per step for the two, a
/// twentieth of the controller's work per step. The output is what `PodJSON.encoder()` writes (keys sorted, dates
/// as seconds since 1970); other shapes go through it.
extension PodJSON {
    static func encode(_ request: PodRequest) throws -> Data {
        if let fast = PodJSONWriter.request(request) { return Data(fast) }
        return try encoder().encode(request)
    }

    static func encode(_ result: PodResult) throws -> Data {
        Data(PodJSONWriter.result(result))
    }
}

/// Appends JSON object members in the order given (callers give them in byte order of their keys).
struct PodJSONWriter {
    private(set) var out: [UInt8] = []
    private var first = true

    init(capacity: Int) { out.reserveCapacity(capacity) }

    static func request(_ request: PodRequest) -> [UInt8]? {
        guard request.volumeMounts.isEmpty, request.workflowVolumes.isEmpty, request.templateVolumes.isEmpty,
            request.inputArtifacts.isEmpty, request.outputArtifacts.isEmpty, request.readinessProbe == nil,
            request.http == nil
        else { return nil }
        var writer = PodJSONWriter(capacity: 768)
        writer.string("archiveLogsKey", request.archiveLogsKey)
        writer.strings("argv", request.argv)
        writer.literal("daemon", request.daemon ? "true" : "false")
        writer.number("deadlineSeconds", request.deadlineSeconds)
        writer.map("env", request.env)
        writer.string("image", request.image)
        writer.literal("inputArtifacts", "[]")
        writer.string("nodeID", request.nodeID)
        writer.literal("outputArtifacts", "[]")
        writer.map("outputParameterPaths", request.outputParameterPaths)
        writer.string("podName", request.podName)
        writer.string("scriptSource", request.scriptSource)
        writer.literal("templateVolumes", "[]")
        writer.literal("volumeMounts", "[]")
        writer.string("workflowName", request.workflowName)
        writer.string("workflowUID", request.workflowUID)
        writer.literal("workflowVolumes", "[]")
        writer.string("workingDir", request.workingDir)
        return writer.finish()
    }

    static func result(_ result: PodResult) -> [UInt8] {
        var writer = PodJSONWriter(capacity: 256)
        writer.map("artifactErrors", result.artifactErrors)
        writer.string("error", result.error)
        writer.number("exitCode", result.exitCode.map(Double.init))
        writer.number("finishedAt", result.finishedAt?.timeIntervalSince1970)
        writer.map("missingOutputs", result.missingOutputs)
        writer.map("outputParameters", result.outputParameters)
        writer.map("savedArtifacts", result.savedArtifacts)
        writer.number("startedAt", result.startedAt?.timeIntervalSince1970)
        writer.string("stdout", result.stdout)
        return writer.finish()
    }

    mutating func finish() -> [UInt8] {
        if first { out.append(UInt8(ascii: "{")) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private mutating func key(_ name: StaticString) {
        out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        first = false
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private mutating func literal(_ name: StaticString, _ value: StaticString) {
        key(name)
        value.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private mutating func string(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        JSONByteWriter.appendString(value, to: &out)
    }

    /// A whole number without a fraction (as JSONEncoder writes `3.0` as `3`), else Swift's shortest form.
    private mutating func number(_ name: StaticString, _ value: Double?) {
        guard let value, value.isFinite else { return }
        key(name)
        if value == value.rounded(), abs(value) < 1e15 {
            out.append(contentsOf: String(Int64(value)).utf8)
        } else {
            out.append(contentsOf: "\(value)".utf8)
        }
    }

    private mutating func strings(_ name: StaticString, _ values: [String]) {
        key(name)
        JSONByteWriter.appendStrings(values, to: &out)
    }

    /// A string map, keys in byte order as `.sortedKeys` writes them.
    private mutating func map(_ name: StaticString, _ values: [String: String]) {
        key(name)
        out.append(UInt8(ascii: "{"))
        for (index, key) in values.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONByteWriter.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONByteWriter.appendString(values[key] ?? "", to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
