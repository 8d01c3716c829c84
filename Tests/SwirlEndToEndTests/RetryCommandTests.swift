import Foundation
import Testing

/// `swirl retry NAME`: the failed workflow itself runs again, node by node, as Argo's `retry`: succeeded steps keep
/// their results, failed ones run again, in the order of their step groups.
@Suite("retry via the CLI", .timeLimit(.minutes(2)))
struct RetryCommandTests {
    static func manifest(dir: String) -> String {
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: again-
        spec:
          entrypoint: main
          volumes:
          - name: out
            hostPath: {path: "\(dir)"}
          templates:
          - name: main
            steps:
            - - {name: gen, template: gen}
              - name: flaky
                template: needs-ok
                arguments: {parameters: [{name: log, value: flaky}]}
                continueOn: {failed: true}
            - - name: use
                template: needs-ok
                arguments: {parameters: [{name: log, value: use}]}
        \(genScriptTemplate)
          - name: needs-ok
            inputs: {parameters: [{name: log}]}
            container:
              image: alpine:latest
              command: [sh, -c]
              args: ["echo ran >> /out/{{inputs.parameters.log}}.log; test -f /out/ok"]
              volumeMounts: [{name: out, mountPath: /out}]
        """
    }

    @Test func failedStepsRunAgainInTheirGroupsOrder() throws {
        try withSwirlHome { swirl in
            let dir = try swirl.hostDirectory("again")
            let name = try swirl.submitExpectingFailure(Self.manifest(dir: dir.path), file: "again")
            let failed = try #require(try swirl.workflow(name))
            #expect(failed.node("flaky")?.phase == "Failed")
            #expect(failed.node("use")?.phase == "Failed")

            FileManager.default.createFile(atPath: dir.appendingPathComponent("ok").path, contents: Data())
            let retried = try swirl.run(["retry", name, "--wait"], timeout: 90)
            #expect(retried.succeeded, "\(retried)")

            #expect(lines(of: dir.appendingPathComponent("gen.log")) == ["ran"], "gen succeeded and did not run again")
            #expect(lines(of: dir.appendingPathComponent("flaky.log")) == ["ran", "ran"])
            #expect(lines(of: dir.appendingPathComponent("use.log")) == ["ran", "ran"])
            let wf = try #require(try swirl.workflow(name))
            #expect(wf.phase == "Succeeded")
            let unfinished = wf.nodes.filter { $0.phase != "Succeeded" }.map(\.displayName)
            #expect(unfinished.isEmpty, "every node succeeded: \(unfinished)")
            #expect(wf.node("gen")?.result == "from-gen")

            let again = try swirl.run(["retry", name])
            #expect(!again.succeeded, "a Succeeded workflow cannot be retried")
            #expect(again.stderr.contains("only Failed or Error workflows can be retried"), "\(again)")
        }
    }
}
