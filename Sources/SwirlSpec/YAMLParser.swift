import Yams

extension Parser {
    /// A parser for manifests: every scalar is text until the decoder or a check reads it as a number, a boolean or
    /// null (as Kubernetes' JSON keys are all strings). Yams' default resolver matches each scalar against seven
    /// regular expressions to guess its type, and it does so for every mapping key while parsing (it hashes the keys
    /// to find duplicates): over a third of the time a 10,000-task DAG took to parse and check. Nothing here uses
    /// Yams' guessed types: `NodeDecoder` reads plain scalars itself.
    static func manifest(_ text: String) throws -> Parser {
        try Parser(yaml: text, resolver: .basic)
    }
}
