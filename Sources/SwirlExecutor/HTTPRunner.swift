import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import SwirlEngine

/// Sends an `http` template's request from the supervisor with async-http-client (no sandbox and no command: the
/// network is the host's) and describes the response as a pod result: exit code 0 once a response came, whatever
/// its status; the body as stdout (also written to the pod's `stdout.log`, for `swirl logs`); the status code as the
/// output parameter the engine judges `successCondition` with. No response is exit code 1 with the reason.
struct HTTPRunner {
    let files: PodFiles
    /// How often a terminate request is looked for while the request is out.
    var pollInterval: TimeInterval = 0.1

    func run(_ call: HTTPCall, deadline: Double?) -> PodResult {
        let startedAt = Date()
        func failure(_ message: String) -> PodResult {
            PodResult(exitCode: 1, error: message, startedAt: startedAt, finishedAt: Date())
        }
        var headers = HTTPHeaders()
        for header in call.headers { headers.add(name: header.name, value: header.value) }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: call.url, method: HTTPMethod(rawValue: call.method.uppercased()), headers: headers,
                body: call.body.map { .string($0) })
        } catch {
            return failure("invalid request to \(call.url): \(error)")
        }
        let seconds = min(call.timeoutSeconds, deadline ?? .infinity)
        let client =
            call.insecureSkipVerify
            ? HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: HTTPClient.Configuration(certificateVerification: .none))
            : HTTPClient.shared
        defer { if call.insecureSkipVerify { try? client.syncShutdown() } }
        let future = client.execute(
            request: request, deadline: .now() + .nanoseconds(Int64(max(0, seconds) * 1e9)))
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        future.whenComplete { result in
            outcome.set(result)
            done.signal()
        }
        while done.wait(timeout: .now() + pollInterval) == .timedOut {
            if FileIO.exists(files.terminateRequest) {
                return PodResult(
                    exitCode: nil, error: PodRunner.terminatedMessage, startedAt: startedAt, finishedAt: Date())
            }
        }
        switch outcome.get() {
        case .success(let response):
            var body = response.body.map { Array($0.readableBytesView.prefix(PodRunner.stdoutLimit)) } ?? []
            try? FileIO.write(Data(body), to: files.stdoutLog)
            if body.last == UInt8(ascii: "\n") { body.removeLast() }
            var headers: [String: [String]] = [:]
            for (name, value) in response.headers {
                headers[WorkflowEngine.canonicalHeaderName(name), default: []].append(value)
            }
            let headersJSON = (try? JSONEncoder().encode(headers)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return PodResult(
                exitCode: 0,
                outputParameters: [
                    WorkflowEngine.httpStatusOutput: String(response.status.code),
                    WorkflowEngine.httpHeadersOutput: headersJSON,
                ],
                stdout: String(decoding: body, as: UTF8.self), startedAt: startedAt, finishedAt: Date())
        case .failure(let error as HTTPClientError) where error == .deadlineExceeded:
            return failure("no response from \(call.url) within \(Self.format(seconds)) s")
        case .failure(let error):
            return failure("\(call.method.uppercased()) \(call.url): \(error)")
        case nil:
            return failure("\(call.method.uppercased()) \(call.url): no outcome")
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// The request's outcome, handed from the event loop to the waiting thread.
private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<HTTPClient.Response, any Error>?

    func set(_ result: Result<HTTPClient.Response, any Error>) { lock.withLock { value = result } }
    func get() -> Result<HTTPClient.Response, any Error>? { lock.withLock { value } }
}
