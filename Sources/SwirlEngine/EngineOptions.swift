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
