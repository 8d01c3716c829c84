import Foundation
import SwirlExpr
import SwirlSpec

/// `http` templates run as a small sandboxed `curl` process (network is the host's), so they get the same
/// supervisor, crash safety and logs as pods; the engine judges the response with `successCondition`.
extension WorkflowEngine {
    static let httpStatusOutput = "__swirl_http_status"
    static let httpStatusPath = "/tmp/swirl-http-status"

    /// The curl invocation of an http template; the body goes to stdout, the status code to a file.
    func httpArgv(_ http: HTTPTemplate, substitute sub: (String) throws -> String) throws -> [String] {
        guard let url = http.url, !url.isEmpty else { throw EngineError("http template needs url") }
        var curl = [
            "curl", "-sS", "-L", "-X", try sub(http.method ?? "GET"), "--max-time", String(http.timeoutSeconds ?? 30),
        ]
        if http.insecureSkipVerify == true { curl.append("-k") }
        for header in http.headers ?? [] {
            guard case .string(let name)? = header["name"] else { continue }
            guard case .string(let value)? = header["value"] else {
                throw EngineError("http header '\(name)': valueFrom (secrets) is not supported without Kubernetes")
            }
            curl += ["-H", "\(try sub(name)): \(try sub(value))"]
        }
        if let body = http.body { curl += ["--data-binary", try sub(body)] }
        curl += ["-o", "/tmp/swirl-http-body", "-w", "%{http_code}", try sub(url)]
        let command = curl.map(ContainerSetScript.quote).joined(separator: " ")
        return [
            "sh", "-c",
            "\(command) > \(Self.httpStatusPath); rc=$?; cat /tmp/swirl-http-body 2>/dev/null; exit $rc",
        ]
    }

    /// Phase and message of a finished http node: `successCondition` over `response.*`, else a 2xx status.
    func httpOutcome(_ http: HTTPTemplate, result: PodResult, scope: Scope) -> (NodePhase, String?) {
        guard let exitCode = result.exitCode, exitCode == 0 else {
            return (.failed, "HTTP request failed (curl exit code \(result.exitCode.map(String.init) ?? "none"))")
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
