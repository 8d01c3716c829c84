import Foundation

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
