import Foundation
import SwirlEngine
import SwirlSpec
import Yams

/// `-o json|yaml` printing in Argo's shape.
enum Output {
    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WorkflowObject.jsonEncoder().encode(value), as: UTF8.self)
    }

    /// YAML in the model's field order (apiVersion, kind, metadata, spec, status), times as RFC 3339.
    static func yaml<T: Encodable>(_ value: T) throws -> String {
        try YAMLEncoder().encode(value)
    }
}
