import Foundation

/// A command to a running workflow as the CLI stores it and the controller turns it into an `EngineEvent`.
public struct CommandPayload: Codable, Sendable, Hashable {
    public var selector: String?
    public var phase: String?
    public var message: String?
    public var outputParameters: [String: String]?

    public init(
        selector: String? = nil, phase: String? = nil, message: String? = nil, outputParameters: [String: String]? = nil
    ) {
        self.selector = selector
        self.phase = phase
        self.message = message
        self.outputParameters = outputParameters
    }

    /// The engine event for a command kind (`stop`, `terminate`, `suspend`, `resume`, `set`).
    public func event(kind: String) throws -> EngineEvent {
        let nodeSelector = try selector.map { try NodeSelector(parsing: $0) }
        switch kind {
        case "stop": return .shutdown(terminate: false)
        case "terminate": return .shutdown(terminate: true)
        case "suspend": return .suspend
        case "resume": return .resume(selector: nodeSelector)
        case "set":
            guard let nodeSelector else { throw EngineError("node set needs --node-field-selector") }
            var nodePhase: NodePhase?
            if let phase {
                guard let parsed = NodePhase(rawValue: phase) else { throw EngineError("unknown phase '\(phase)'") }
                nodePhase = parsed
            }
            return .setNode(
                selector: nodeSelector, phase: nodePhase, message: message, outputParameters: outputParameters ?? [:])
        default: throw EngineError("unknown command '\(kind)'")
        }
    }
}
