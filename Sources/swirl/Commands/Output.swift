import Foundation
import SwirlEngine
import SwirlSpec
import Yams

/// `-o json|yaml` printing in Argo's shape.
enum Output {
    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WorkflowObject.jsonEncoder().encode(value), as: UTF8.self)
    }

    static func yaml<T: Encodable>(_ value: T) throws -> String {
        let data = try WorkflowObject.jsonEncoder(pretty: false).encode(value)
        let tree = try JSONDecoder().decode(JSONValue.self, from: data)
        return try YAMLEncoder().encode(tree)
    }
}
