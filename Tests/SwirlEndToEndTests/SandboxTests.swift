import Foundation
import Testing

@Suite("Sandbox isolation and outputs", .timeLimit(.minutes(1)))
struct SandboxTests {
    @Test func stepsDoNotSeeEachOthersWritesButShareTheEmptyDir() throws {
        let hostHadOut = FileManager.default.fileExists(atPath: "/out")
        let hostHadMarker = FileManager.default.fileExists(atPath: "/etc/swirl-test-x")
        try withSwirlHome { swirl in
            let submit = try swirl.run(["submit", fixture("isolation.yaml").path, "--wait", "-o", "json"])
            #expect(submit.succeeded, "\(submit)")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Succeeded")
            #expect(wf.node("write")?.phase == "Succeeded", "\(String(describing: wf.node("write")?.raw))")
            // `check` fails unless /tmp/a, /out/b, /etc/swirl-test-x are absent and /shared/msg is present.
            #expect(wf.node("check")?.phase == "Succeeded", "\(String(describing: wf.node("check")?.raw))")
            #expect(wf.node("check")?.result == "isolation-ok")

            if !hostHadMarker { #expect(!FileManager.default.fileExists(atPath: "/etc/swirl-test-x")) }
            if !hostHadOut { #expect(!FileManager.default.fileExists(atPath: "/out")) }

            // A second workflow gets its own, empty, emptyDir.
            let peek = try swirl.run(["submit", fixture("emptydir-peek.yaml").path, "--wait", "-o", "json"])
            #expect(peek.succeeded, "\(peek)")
            let peekWF = try Workflow(json: peek.stdout)
            #expect(peekWF.phase == "Succeeded")
            let logs = try swirl.run(["logs", peekWF.name])
            #expect(logs.stdout.contains("emptydir-clean"), "\(logs)")
            #expect(!logs.stdout.contains("LEAKED") && !logs.stdout.contains("shared-secret-42"), "\(logs)")
        }
    }

    /// Argo substitutes global parameters across the whole spec (`substituteGlobalVariables`), volumes included.
    @Test func workflowParameterInAHostPathVolume() throws {
        try withSwirlHome { swirl in
            let dir = try swirl.hostDirectory("param-out")
            let submit = try swirl.run([
                "submit", fixture("hostpath-param.yaml").path, "-p", "dir=\(dir.path)", "--wait", "-o", "json",
            ])
            #expect(submit.succeeded, "\(submit)")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Succeeded", "\(wf.podNodes.map(\.message))")
            #expect(lines(of: dir.appendingPathComponent("marker.txt")) == ["via-param"])
        }
    }

    @Test func outputParametersAndScriptResultsFlowToLaterSteps() throws {
        try withSwirlHome { swirl in
            let submit = try swirl.run(["submit", fixture("outputs.yaml").path, "--wait", "-o", "json"])
            try #require(submit.succeeded, "\(submit)")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Succeeded")
            #expect(wf.node("produce")?.outputParameter("p") == "param-value-7")
            #expect(wf.node("gen")?.result == "script-result-42")
            let consume = try #require(wf.node("consume"))
            #expect(consume.result == "got-p=param-value-7 got-r=script-result-42", "\(consume.raw)")

            let logs = try swirl.run(["logs", wf.name, consume.podName])
            #expect(logs.stdoutLines == ["\(consume.podName): got-p=param-value-7 got-r=script-result-42"], "\(logs)")
        }
    }

    @Test func exitCodeThreeFailsTheNodeAndTheWorkflow() throws {
        try withSwirlHome { swirl in
            let submit = try swirl.run(["submit", fixture("exit3.yaml").path, "--wait", "-o", "json"])
            #expect(
                submit.exitedNormally && submit.status != 0,
                "submit --wait of a failing workflow must exit non-zero: \(submit)")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Failed")
            let boom = try #require(wf.node("boom"))
            #expect(boom.type == "Pod")
            #expect(boom.phase == "Failed")
            #expect(boom.message == "Error (exit code 3)")
            #expect(boom.exitCode == "3")

            // The stored state agrees, and `get` shows it.
            let stored = try #require(try swirl.workflow(wf.name))
            #expect(stored.phase == "Failed")
            let get = try swirl.run(["get", wf.name])
            #expect(get.stdout.contains("Error (exit code 3)"), "\(get)")
            #expect(get.stdoutLines.contains { $0.hasPrefix("Status:") && $0.hasSuffix("Failed") }, "\(get)")
        }
    }
}

@Suite("Daemon steps", .timeLimit(.minutes(1)))
struct DaemonStepTests {
    @Test func aDaemonServesTheNextStepAndIsStoppedAfterwards() throws {
        let port = Int.random(in: 20_000..<40_000)
        try withSwirlHome { swirl in
            let submit = try swirl.run(
                ["submit", fixture("daemon-server.yaml").path, "-p", "port=\(port)", "--wait", "-o", "json"],
                timeout: 50)
            #expect(submit.succeeded, "\(submit)")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Succeeded")
            #expect(wf.node("client")?.result == "200", "\(String(describing: wf.node("client")?.raw))")
            let server = try #require(wf.node("server"))
            #expect(server.phase == "Succeeded")
            #expect(server.raw["podIP"] as? String == "127.0.0.1")
            #expect(server.raw["daemoned"] == nil, "the daemon was stopped with its steps")
            // Nothing listens on the port any more once the workflow is done (the stop takes a moment).
            var listening = true
            for _ in 0..<50 where listening {
                listening = canConnect(port: port)
                if listening { usleep(100_000) }
            }
            #expect(!listening, "the daemon's server still answers on port \(port)")
        }
    }

    @Test func anExecProbeRunsInsideTheSandboxAndHoldsTheNextStep() throws {
        try withSwirlHome { swirl in
            let submit = try swirl.run(
                ["submit", fixture("daemon-exec-probe.yaml").path, "--wait", "-o", "json"], timeout: 50)
            #expect(submit.succeeded, "\(submit)")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Succeeded")
            let server = try #require(wf.node("server"))
            let client = try #require(wf.node("client"))
            #expect(server.phase == "Succeeded")
            // The probe's file appears 2.5 s after the daemon starts; node times are whole seconds, so a client
            // started before the probe passed would be at most 1 s after the server.
            let gap = try #require(client.started).timeIntervalSince(try #require(server.started))
            #expect(gap >= 2, "the client started \(gap) s after the daemon, before its exec probe could pass")
        }
    }

    func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

@Suite("HTTP templates", .timeLimit(.minutes(1)))
struct HTTPTemplateEndToEndTests {
    /// A tiny HTTP server on 127.0.0.1:PORT (Python's standard library).
    static let server = """
        import http.server, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def reply(self, code, text):
                body = text.encode()
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_GET(self):
                if self.path == "/hello": self.reply(200, "hello from the test server\\n")
                else: self.reply(404, "not here")
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                data = self.rfile.read(length).decode()
                self.reply(201, "got " + data + " with " + self.headers.get("X-Test", "no header"))
            def log_message(self, *args): pass
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """

    @Test func requestsAreSentAndJudgedAsArgoDoes() throws {
        let port = Int.random(in: 40_000..<50_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-c", Self.server, String(port)]
        try server.run()
        let pid = server.processIdentifier
        defer {
            // Signalled and reaped directly: Foundation's terminate/waitUntilExit could hang here.
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        var listening = false
        for _ in 0..<200 {
            listening = DaemonStepTests().canConnect(port: port)
            if listening { break }
            usleep(50_000)
        }
        #expect(listening, "the test server did not start on port \(port)")
        try withSwirlHome { swirl in
            let submit = try swirl.run(
                ["submit", fixture("http-calls.yaml").path, "-p", "port=\(port)", "--wait", "-o", "json"], timeout: 40)
            #expect(submit.succeeded, "\(submit)")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.phase == "Succeeded")
            #expect(wf.node("get")?.phase == "Succeeded")
            #expect(wf.node("get")?.result == "hello from the test server")
            #expect(wf.node("post")?.phase == "Succeeded")
            #expect(wf.node("post")?.result == "got ping with swirl")
            #expect(wf.node("missing")?.phase == "Failed")
            #expect(wf.node("missing")?.message == "received non-2xx response code: 404")
        }
    }
}
