import Foundation
import SwirlExpr
import SwirlSpec

/// `http` templates: the engine resolves the request (`HTTPCall`) and the executor's supervisor sends it (with
/// async-http-client, no sandbox: the network is the host's), so the node gets the same crash safety and logs as a
/// pod; the engine judges the response with `successCondition`.
extension WorkflowEngine {
    /// The output parameter that carries an http node's response status code.
    public static let httpStatusOutput = "__swirl_http_status"

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
        let env: [String: ExprValue] = [
            "response": .map(["statusCode": .int(statusCode), "body": .string(result.stdout ?? "")]),
            "request": .map([
                "url": .string(http.url ?? ""), "method": .string(http.method ?? "GET"),
                "body": .string(http.body ?? ""),
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
}
