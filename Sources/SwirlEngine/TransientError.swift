import Foundation
import SwirlSpec

/// How the engine is configured by whoever runs it (the controller), so that nothing in the engine reads the
/// environment or other process state.
public struct EngineOptions: Sendable, Equatable {
    /// Argo's `TRANSIENT_ERROR_PATTERN` (a regular expression, read by the controller from its environment): node
    /// messages it matches count as transient for `retryPolicy: OnTransientError`. Nil or empty: only the built-in
    /// transient errors count.
    public var transientErrorPattern: String?
    /// ConfigMaps by name (their `data`), for parameters with `valueFrom.configMapKeyRef`; the controller reads
    /// them from `$SWIRL_HOME/configmaps/`.
    public var configMaps: [String: [String: String]]

    public init(transientErrorPattern: String? = nil, configMaps: [String: [String: String]] = [:]) {
        self.transientErrorPattern = transientErrorPattern
        self.configMaps = configMaps
    }

    /// The value of `configMapKeyRef: {name, key}`, or an error naming what is missing.
    func configMapValue(_ reference: JSONValue) -> Result<String, EngineError> {
        guard case .string(let name)? = reference["name"], case .string(let key)? = reference["key"] else {
            return .failure(EngineError("configMapKeyRef needs a name and a key"))
        }
        guard let data = configMaps[name] else {
            return .failure(
                EngineError("ConfigMap '\(name)' not found (Swirl reads ConfigMaps from $SWIRL_HOME/configmaps/*.yaml)")
            )
        }
        guard let value = data[key] else {
            let known = data.keys.sorted().joined(separator: ", ")
            return .failure(EngineError("ConfigMap '\(name)' has no key '\(key)' (keys: \(known))"))
        }
        return .success(value)
    }
}

/// Argo's classification of errors worth retrying (`util/errors.IsTransientErr`) as it applies to a node's message:
/// the network failures Argo recognises by their text, plus whatever `TRANSIENT_ERROR_PATTERN` matches.
enum TransientError {
    /// The substrings by which Argo recognises a transient network or API failure in an error's text.
    static let builtInMarkers = [
        "Connection closed by foreign host",
        "net/http: TLS handshake timeout",
        "i/o timeout",
        "connection timed out",
        "connection reset by peer",
        "http2: client connection lost",
        "http2: server sent GOAWAY and closed the connection",
        "connect: connection refused",
        "upstream connect error or disconnect/reset before headers",
    ]

    /// Whether `message` describes a transient error. An invalid `pattern` matches nothing (as Go's
    /// `regexp.MatchString` returning an error does in Argo).
    static func isTransient(_ message: String, pattern: String?) -> Bool {
        if builtInMarkers.contains(where: { message.contains($0) }) { return true }
        guard let pattern, !pattern.isEmpty, let regex = try? NSRegularExpression(pattern: pattern) else {
            return false
        }
        let range = NSRange(message.startIndex..<message.endIndex, in: message)
        return regex.firstMatch(in: message, options: [], range: range) != nil
    }
}
