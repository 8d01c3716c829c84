import Foundation
import SwirlExpr
import SwirlSpec

/// `http` templates: the engine resolves the request (`HTTPCall`) and the executor's supervisor sends it (with
/// async-http-client, no sandbox: the network is the host's), so the node gets the same crash safety and logs as a
/// pod; the engine judges the response with `successCondition`.
extension WorkflowEngine {
    /// The output parameter that carries an http node's response status code.
    public static let httpStatusOutput = "__swirl_http_status"
    /// The output parameter that carries an http node's response headers, a JSON object of name → list of values.
    public static let httpHeadersOutput = "__swirl_http_headers"

    /// The resolved request of an http template.
    func httpCall(_ http: HTTPTemplate, substitute sub: (String) throws -> String) throws -> HTTPCall {
        guard let url = http.url, !url.isEmpty else { throw EngineError("http template needs url") }
        var headers: [HTTPCall.Header] = []
        for header in http.headers ?? [] {
            guard case .string(let name)? = header["name"] else { continue }
            guard case .string(let value)? = header["value"] else {
                throw EngineError("http header '\(name)': valueFrom (secrets) is not supported without Kubernetes")
            }
            headers.append(HTTPCall.Header(name: try sub(name), value: try sub(value)))
        }
        return HTTPCall(
            method: try sub(http.method ?? "GET"), url: try sub(url), headers: headers,
            body: try http.body.map(sub), timeoutSeconds: Double(http.timeoutSeconds ?? 30),
            insecureSkipVerify: http.insecureSkipVerify == true)
    }

    /// Phase and message of a finished http node: `successCondition` over `response.*`, else a 2xx status.
    func httpOutcome(_ http: HTTPTemplate, result: PodResult, scope: Scope) -> (NodePhase, String?) {
        guard let exitCode = result.exitCode, exitCode == 0 else {
            return (.failed, "HTTP request failed: \(result.error ?? "no response")")
        }
        let statusCode = Int(result.outputParameters[Self.httpStatusOutput] ?? "") ?? 0
        guard let condition = http.successCondition else {
            return (200..<300).contains(statusCode)
                ? (.succeeded, nil) : (.failed, "received non-2xx response code: \(statusCode)")
        }
        // Argo's variables: headers are maps of (canonical) name → list of values, as Go's http.Header.
        var responseHeaders: [String: ExprValue] = [:]
        if let text = result.outputParameters[Self.httpHeadersOutput],
            let decoded = try? JSONDecoder().decode([String: [String]].self, from: Data(text.utf8))
        {
            for (name, values) in decoded { responseHeaders[name] = .array(values.map(ExprValue.string)) }
        }
        // The request as sent: its fields substituted in the node's scope.
        func sent(_ text: String?) -> String { text.map { (try? substitute($0, in: scope)) ?? $0 } ?? "" }
        var requestHeaders: [String: ExprValue] = [:]
        for header in http.headers ?? [] {
            guard case .string(let rawName)? = header["name"], case .string(let rawValue)? = header["value"] else {
                continue
            }
            let (name, value) = (sent(rawName), sent(rawValue))
            let key = Self.canonicalHeaderName(name)
            if case .array(let values)? = requestHeaders[key] {
                requestHeaders[key] = .array(values + [.string(value)])
            } else {
                requestHeaders[key] = .array([.string(value)])
            }
        }
        let env: [String: ExprValue] = [
            "response": .map([
                "statusCode": .int(statusCode), "body": .string(result.stdout ?? ""), "headers": .map(responseHeaders),
            ]),
            "request": .map([
                "url": .string(sent(http.url)), "method": .string(sent(http.method ?? "GET")),
                "body": .string(sent(http.body)), "headers": .map(requestHeaders),
            ]),
        ]
        do {
            let text = try substitute(condition, in: scope)
            return try Expr.evaluateBool(text, env: env, now: now)
                ? (.succeeded, nil) : (.failed, "successCondition '\(condition)' evaluated false")
        } catch {
            return (.error, "successCondition '\(condition)': \(error)")
        }
    }

    /// Go's `textproto.CanonicalMIMEHeaderKey`: the first letter and every letter after a hyphen upper case, the
    /// rest lower case (`content-type` → `Content-Type`); a name with a byte Go rejects is left as it is.
    public static func canonicalHeaderName(_ name: String) -> String {
        guard name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else { return name }
        var upper = true
        return String(
            name.map { character -> Character in
                defer { upper = character == "-" }
                return upper ? Character(character.uppercased()) : Character(character.lowercased())
            })
    }
}
