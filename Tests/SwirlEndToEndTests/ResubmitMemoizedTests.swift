import Foundation
import Testing

/// `swirl resubmit --memoized`: a new workflow in which the steps that succeeded in the failed one are not run
/// again (their outputs are re-used), as Argo's `resubmit --memoized`.
@Suite("resubmit --memoized via the CLI", .timeLimit(.minutes(2)))
struct ResubmitMemoizedTests {
    static func manifest(dir: String) -> String {
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: memo-
        spec:
          entrypoint: main
          volumes:
          - name: out
            hostPath: {path: "\(dir)"}
          templates:
          - name: main
            steps:
            - - {name: gen, template: gen}
            - - name: use
                template: use
                arguments: {parameters: [{name: x, value: "{{steps.gen.outputs.result}}"}]}
        \(genScriptTemplate)
          - name: use
            inputs: {parameters: [{name: x}]}
            container:
              image: alpine:latest
              command: [sh, -c]
              args: ["test -f /out/ok && echo {{inputs.parameters.x}} > /out/use.txt"]
              volumeMounts: [{name: out, mountPath: /out}]
        """
    }

    @Test func succeededStepsAreReusedNotRerun() throws {
        try withSwirlHome { swirl in
            let dir = try swirl.hostDirectory("memo")
            let firstName = try swirl.submitExpectingFailure(Self.manifest(dir: dir.path), file: "memo")
            #expect(lines(of: dir.appendingPathComponent("gen.log")) == ["ran"])

            FileManager.default.createFile(atPath: dir.appendingPathComponent("ok").path, contents: Data())
            let second = try swirl.run(["resubmit", "--memoized", firstName, "--wait", "-o", "name"], timeout: 90)
            #expect(second.succeeded, "\(second)")
            let secondName = try #require(second.stdoutLines.first)
            #expect(secondName != firstName)

            #expect(lines(of: dir.appendingPathComponent("gen.log")) == ["ran"], "gen did not run again")
            #expect(lines(of: dir.appendingPathComponent("use.txt")) == ["from-gen"], "its output was re-used")
            let wf = try #require(try swirl.workflow(secondName))
            #expect(wf.phase == "Succeeded")
            let gen = try #require(wf.node("gen"))
            #expect(gen.type == "Skipped" && gen.phase == "Skipped")
            #expect(gen.message.hasPrefix("original pod: \(firstName)-"))
            #expect(gen.result == "from-gen")
            #expect(wf.node("use")?.phase == "Succeeded")

            let again = try swirl.run(["resubmit", "--memoized", secondName])
            #expect(!again.succeeded, "a Succeeded workflow cannot be resubmitted in memoized mode")
            #expect(again.stderr.contains("must be Failed or Error"), "\(again)")
        }
    }
}
