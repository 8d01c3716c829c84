import Foundation
import SwirlSpec
import Testing

@testable import SwirlEngine

/// `daemon: true` templates: dependents start once the daemon is ready; the daemon stops with its scope.
@Suite struct DaemonTests {
    static let server = """
          - name: server
            daemon: true
            container:
              image: nginx
              command: [python3, -m, http.server, "8080"]
              readinessProbe:
                httpGet: {path: /, port: 8080}
                initialDelaySeconds: 2
                periodSeconds: 5
          - name: client
            inputs:
              parameters:
              - name: ip
            container:
              image: alpine
              command: [curl, "http://{{inputs.parameters.ip}}:8080/"]
        """

    /// Feeds `.podReady` for the pod whose display name is `name`.
    func ready(_ h: inout EngineHarness, _ name: String) throws {
        let request = try #require(h.request(displayName: name))
        h.send(.podReady(nodeID: request.nodeID))
    }

    @Test func stepsWaitForReadinessThenTheDaemonStopsWithItsScope() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: db, template: server}
                    - - name: use
                        template: client
                        arguments: {parameters: [{name: ip, value: "{{steps.db.ip}}"}]}
                """ + "\n" + Self.server)
        ) { pod in pod.template == "server" ? .hanging : .ok }
        h.start()
        let request = try #require(h.request(displayName: "db"))
        #expect(request.daemon)
        #expect(
            request.readinessProbe
                == ReadinessProbe(check: .httpGet(port: 8080, path: "/"), initialDelaySeconds: 2, periodSeconds: 5))
        #expect(h.startedDisplayNames == ["db"], "the next group waits until the daemon is ready")
        try ready(&h, "db")
        #expect(h.node("wf[0].db")?.daemoned == true)
        #expect(h.node("wf[0].db")?.phase == .running, "a serving daemon stays Running, as in Argo")
        #expect(h.node("wf[0].db")?.finishedAt == nil)
        #expect(h.startedDisplayNames == ["db", "use"])
        #expect(h.request(displayName: "use")?.argv == ["curl", "http://127.0.0.1:8080/"])
        #expect(h.kills.isEmpty)
        #expect(h.run() == .succeeded)
        #expect(h.kills == [request.podName], "the daemon is stopped when its steps end")
        #expect(h.node("wf[0].db")?.daemoned == nil)
        #expect(h.node("wf[0].db")?.phase == .succeeded, "a stopped daemon is Succeeded")
        #expect(h.node("wf[0].db")?.finishedAt != nil)
    }

    @Test func dagDependentsStartOnReadinessAndDaemonedIsADependsResult() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - {name: db, template: server}
                      - name: use
                        depends: db.Daemoned
                        template: client
                        arguments: {parameters: [{name: ip, value: "{{tasks.db.ip}}"}]}
                """ + "\n" + Self.server)
        ) { pod in pod.template == "server" ? .hanging : .ok }
        h.start()
        #expect(h.startedDisplayNames == ["db"])
        try ready(&h, "db")
        #expect(h.startedDisplayNames == ["db", "use"])
        #expect(h.run() == .succeeded)
        #expect(h.kills.count == 1)
    }

    @Test func aDaemonThatExitsWhileServingStaysRunningUntilItsScopeEnds() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: db, template: server}
                    - - {name: use, template: client, arguments: {parameters: [{name: ip, value: x}]}}
                """ + "\n" + Self.server)
        ) { pod in pod.template == "server" ? .hanging : .hanging }
        h.start()
        try ready(&h, "db")
        let db = try #require(h.request(displayName: "db"))
        h.send(.podFinished(nodeID: db.nodeID, result: PodResult(exitCode: 1)))
        #expect(h.node("wf[0].db")?.phase == .running, "a daemoned pod's exit does not end its node")
        let use = try #require(h.request(displayName: "use"))
        h.send(.podFinished(nodeID: use.nodeID, result: PodResult(exitCode: 0)))
        #expect(h.node("wf[0].db")?.phase == .succeeded)
        #expect(h.node("wf")?.phase == .succeeded)
    }

    @Test func aDaemonThatFailsBeforeItIsReadyFailsItsStep() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: db, template: server}
                    - - {name: use, template: client, arguments: {parameters: [{name: ip, value: x}]}}
                """ + "\n" + Self.server)
        ) { pod in pod.template == "server" ? .exit(3) : .ok }
        #expect(h.run() == .failed)
        #expect(h.startedDisplayNames == ["db"])
        #expect(h.kills.isEmpty)
    }

    @Test func readinessBeforeARestartIsKeptAndTheDaemonIsStillStopped() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: db, template: server}
                    - - {name: use, template: client, arguments: {parameters: [{name: ip, value: "{{steps.db.ip}}"}]}}
                """ + "\n" + Self.server)
        ) { pod in pod.template == "server" ? .hanging : PodAnswer(duration: 5) }
        h.start()
        try ready(&h, "db")
        try h.crashAndRestore()
        #expect(h.run() == .succeeded)
        #expect(h.kills.count == 1, "the restored engine still knows the daemon")
    }

    @Test func probesAreResolvedOrRejectedClearly() throws {
        func probe(_ json: String) throws -> ReadinessProbe? {
            try WorkflowEngine.readinessProbe(
                JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), template: "test")
        }
        #expect(try probe(#"{"tcpSocket": {"port": 6379}}"#) == ReadinessProbe(check: .tcpSocket(port: 6379)))
        #expect(
            try probe(#"{"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 1}"#)
                == ReadinessProbe(check: .exec(["cat", "/tmp/ready"]), periodSeconds: 1))
        #expect(
            try probe(#"{"httpGet": {"path": "health", "port": "80"}}"#)?.check == .httpGet(port: 80, path: "/health"))
        #expect(throws: EngineError.self) { try probe(#"{"httpGet": {"port": "http"}}"#) }
        #expect(throws: EngineError.self) { try probe(#"{"grpc": {"port": 1}}"#) }
        #expect(throws: EngineError.self) { try probe(#"["not", "a", "mapping"]"#) }
    }
}
