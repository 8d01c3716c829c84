import Foundation
import SwirlSpec
import Testing

@testable import SwirlEngine

/// `http` templates: the engine resolves the request and judges the response the executor reports.
@Suite struct HTTPTemplateTests {
    static let condition = #"successCondition: "response.statusCode == 201 && response.body contains 'made'""#
    static let templates = """
          - name: main
            steps:
            - - name: call
                template: fetch
                arguments: {parameters: [{name: id, value: "42"}]}
          - name: fetch
            inputs:
              parameters:
              - name: id
            http:
              url: "http://127.0.0.1:8080/items/{{inputs.parameters.id}}"
              method: POST
              headers:
              - {name: X-Item, value: "{{inputs.parameters.id}}"}
              body: '{"id": {{inputs.parameters.id}}}'
              timeoutSeconds: 5
              \(condition)
        """

    func harness(_ answer: PodAnswer, templates: String = Self.templates) throws -> EngineHarness {
        try EngineHarness(workflowYAML(templates)) { _ in answer }
    }

    @Test func theRequestIsResolvedForTheExecutor() throws {
        var h = try harness(.hanging)
        h.start()
        let request = try #require(h.request(displayName: "call"))
        #expect(
            request.http
                == HTTPCall(
                    method: "POST", url: "http://127.0.0.1:8080/items/42",
                    headers: [HTTPCall.Header(name: "X-Item", value: "42")], body: #"{"id": 42}"#, timeoutSeconds: 5))
        #expect(request.argv.isEmpty, "nothing is run in a sandbox")
        #expect(h.node("wf[0].call")?.type == .http)
    }

    @Test func aResponseMeetingTheConditionSucceedsWithTheBodyAsResult() throws {
        var h = try harness(PodAnswer(stdout: "made 42", outputParameters: [WorkflowEngine.httpStatusOutput: "201"]))
        #expect(h.run() == .succeeded)
        #expect(h.node("wf[0].call")?.outputs?.result == "made 42")
    }

    @Test func theConditionSeesHeadersAsGoDoes() throws {
        let condition = "response.headers['Content-Type'][0] == 'text/plain' && request.headers['X-Item'][0] == '42'"
        let templates = Self.templates.replacingOccurrences(
            of: Self.condition, with: "successCondition: \"\(condition)\"")
        let headers = #"{"Content-Type": ["text/plain"]}"#
        var h = try harness(
            PodAnswer(
                stdout: "made",
                outputParameters: [
                    WorkflowEngine.httpStatusOutput: "200", WorkflowEngine.httpHeadersOutput: headers,
                ]), templates: templates)
        #expect(h.run() == .succeeded, "\(String(describing: h.node("wf[0].call")?.message))")
        var wrong = try harness(
            PodAnswer(
                stdout: "made",
                outputParameters: [
                    WorkflowEngine.httpStatusOutput: "200",
                    WorkflowEngine.httpHeadersOutput: #"{"Content-Type": ["text/html"]}"#,
                ]), templates: templates)
        #expect(wrong.run() == .failed)
        #expect(WorkflowEngine.canonicalHeaderName("x-item-ID") == "X-Item-Id")
    }

    @Test func aResponseFailingTheConditionFails() throws {
        var h = try harness(PodAnswer(stdout: "made 42", outputParameters: [WorkflowEngine.httpStatusOutput: "200"]))
        #expect(h.run() == .failed)
        #expect(h.node("wf[0].call")?.message?.contains("successCondition") == true)
    }

    @Test func withoutAConditionA2xxStatusSucceedsAndAnyOtherFails() throws {
        let plain = Self.templates.replacingOccurrences(of: Self.condition, with: "")
        #expect(plain != Self.templates)
        var ok = try harness(
            PodAnswer(stdout: "x", outputParameters: [WorkflowEngine.httpStatusOutput: "204"]), templates: plain)
        #expect(ok.run() == .succeeded)
        var notFound = try harness(
            PodAnswer(stdout: "no", outputParameters: [WorkflowEngine.httpStatusOutput: "404"]), templates: plain)
        #expect(notFound.run() == .failed)
        #expect(notFound.node("wf[0].call")?.message == "received non-2xx response code: 404")
    }

    @Test func noResponseFailsWithTheReason() throws {
        var h = try harness(PodAnswer(exitCode: 1, error: "POST http://127.0.0.1:8080/items/42: connection refused"))
        #expect(h.run() == .failed)
        #expect(
            h.node("wf[0].call")?.message
                == "HTTP request failed: POST http://127.0.0.1:8080/items/42: connection refused")
    }

    @Test func aSecretHeaderIsRejectedClearly() throws {
        let secret = Self.templates.replacingOccurrences(
            of: #"- {name: X-Item, value: "{{inputs.parameters.id}}"}"#,
            with: "- {name: Authorization, valueFrom: {secretKeyRef: {name: token, key: value}}}")
        #expect(secret != Self.templates)
        var h = try harness(.ok, templates: secret)
        #expect(h.run() == .failed)
        #expect(h.node("wf[0].call")?.phase == .error)
        #expect(h.node("wf[0].call")?.message?.contains("valueFrom (secrets) is not supported") == true)
    }
}
