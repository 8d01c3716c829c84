import SwirlSpec

/// Edits of a stored manifest's JSON text that spare decoding parts a caller does not need.
enum ManifestText {
    /// The manifest with `spec.templates` replaced by `[]`; the text unchanged when it has none or is not
    /// well-formed here (the decoder then reports the problem).
    static func withoutTemplates(_ json: String) -> String {
        var json = json
        let range: Range<Int>? = json.withUTF8 { bytes in
            var reader = JSONByteReader(bytes: bytes)
            return reader.valueRange(at: ["spec", "templates"])
        }
        guard let range else { return json }
        var bytes = Array(json.utf8)
        bytes.replaceSubrange(range, with: Array("[]".utf8))
        return String(decoding: bytes, as: UTF8.self)
    }
}
