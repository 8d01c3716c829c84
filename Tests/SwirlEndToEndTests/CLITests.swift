import Foundation
import Testing

@Suite("CLI shape", .timeLimit(.minutes(1)))
struct CLITests {
    @Test func submitOutputNamePrintsOnlyTheName() throws {
        try withSwirlHome { swirl in
            let submit = try swirl.run(["submit", fixture("params.yaml").path, "-o", "name", "--wait"])
            #expect(submit.succeeded, "\(submit)")
            let lines = submit.stdoutLines
            #expect(lines.count == 1, "\(submit)")
            let name = try #require(lines.first)
            #expect(name.hasPrefix("params-") && name.count == "params-".count + 5, "\(name)")
            #expect(try swirl.workflow(name)?.phase == "Succeeded")
        }
    }

    @Test func submitJSONHasTheArgoShape() throws {
        try withSwirlHome { swirl in
            let submit = try swirl.run(["submit", fixture("outputs.yaml").path, "--wait", "-o", "json"])
            try #require(submit.succeeded, "\(submit)")
            let wf = try Workflow(json: submit.stdout)
            #expect(wf.raw["apiVersion"] as? String == "argoproj.io/v1alpha1")
            #expect(wf.raw["kind"] as? String == "Workflow")
            #expect(!wf.name.isEmpty)
            #expect(wf.raw["spec"] is [String: Any])
            #expect((wf.raw["spec"] as? [String: Any])?["entrypoint"] as? String == "main")
            let nodes = wf.nodesByID
            #expect(nodes.count == 6, "root, 2 step groups, 3 pods: \(nodes.keys.sorted())")
            let root = try #require(nodes[wf.name], "the root node's ID is the workflow name")
            #expect(root["displayName"] as? String == wf.name)
            for (id, node) in nodes {
                #expect(node["id"] as? String == id, "node keyed by its ID")
                #expect(id.hasPrefix(wf.name))
            }
            // `get -o json` returns the same document.
            let stored = try #require(try swirl.workflow(wf.name))
            #expect(Set(stored.nodesByID.keys) == Set(nodes.keys))
        }
    }

    @Test func listHeader() throws {
        try withSwirlHome { swirl in
            let empty = try swirl.run(["list"])
            #expect(empty.succeeded, "\(empty)")
            let submit = try swirl.run(["submit", fixture("params.yaml").path, "--wait", "-o", "name"])
            let name = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let list = try swirl.run(["list"])
            #expect(list.succeeded, "\(list)")
            let header = list.stdoutLines.first?.split(separator: " ").map(String.init)
            #expect(header == ["NAME", "STATUS", "AGE", "DURATION", "PRIORITY", "MESSAGE"], "\(list.stdout)")
            #expect(list.stdoutLines.count == 2, "\(list.stdout)")
            let row = list.stdoutLines.last?.split(separator: " ").map(String.init) ?? []
            #expect(row.first == name)
            #expect(row.dropFirst().first == "Succeeded")
        }
    }

    @Test func getUnknownWorkflowFailsWithAHint() throws {
        try withSwirlHome { swirl in
            let name = try #require(
                try swirl.run(["submit", fixture("params.yaml").path, "--wait", "--name", "hello-params", "-o", "name"])
                    .stdoutLines.first)
            #expect(name == "hello-params")

            let close = try swirl.run(["get", "hello-param"])
            #expect(close.exitedNormally && close.status != 0, "\(close)")
            #expect(close.stderr.contains("not found"), "\(close)")
            #expect(close.stderr.contains("did you mean 'hello-params'"), "\(close)")

            let typo = try swirl.run(["get", "helo-params"])
            #expect(typo.stderr.contains("did you mean 'hello-params'"), "\(typo)")
        }
    }

    /// A name nothing like any stored workflow should get a plain "not found", not a random suggestion.
    @Test func getUnrelatedNameHasNoDidYouMean() throws {
        try withSwirlHome { swirl in
            _ = try swirl.run(["submit", fixture("params.yaml").path, "--wait", "--name", "hello-params", "-o", "name"])
            let unrelated = try swirl.run(["get", "completely-unrelated-zzzz"])
            #expect(unrelated.exitedNormally && unrelated.status != 0, "\(unrelated)")
            #expect(unrelated.stderr.contains("not found"), "\(unrelated)")
            #expect(!unrelated.stderr.contains("did you mean"), "suggestion for an unrelated name: \(unrelated.stderr)")
        }
    }

    @Test func parameterOverrideAndEntrypoint() throws {
        try withSwirlHome { swirl in
            let file = fixture("params.yaml").path
            let plain = try swirl.run(["submit", file, "--wait", "--name", "p-default"])
            #expect(plain.succeeded, "\(plain)")
            #expect(try swirl.run(["logs", "p-default"]).stdout.contains("say:default-message"))

            let overridden = try swirl.run(["submit", file, "--wait", "--name", "p-hi", "-p", "message=hi"])
            #expect(overridden.succeeded, "\(overridden)")
            let logs = try swirl.run(["logs", "p-hi"])
            #expect(logs.stdoutLines == ["p-hi: say:hi"], "\(logs)")

            let other = try swirl.run(["submit", file, "--wait", "--name", "p-other", "--entrypoint", "other"])
            #expect(other.succeeded, "\(other)")
            let otherLogs = try swirl.run(["logs", "p-other"])
            #expect(otherLogs.stdoutLines == ["p-other: other-entrypoint:default-message"], "\(otherLogs)")

            // `resubmit -p` overrides a parameter of the original workflow, as `argo resubmit -p` does.
            let again = try swirl.run(["resubmit", "p-hi", "-p", "message=again", "--wait", "-o", "name"])
            #expect(again.succeeded, "\(again)")
            let againName = try #require(again.stdoutLines.first)
            #expect(againName.hasPrefix("params-"), "the generateName is kept, as Argo keeps it: \(again)")
            let againLogs = try swirl.run(["logs", againName])
            #expect(againLogs.stdoutLines == ["\(againName): say:again"], "\(againLogs)")
            let bad = try swirl.run(["resubmit", "p-hi", "-p", "no-equals-sign"])
            #expect(!bad.succeeded && bad.stderr.contains("-p expects name=value"), "\(bad)")
        }
    }

    @Test func templateCreateAndSubmitFrom() throws {
        try withSwirlHome { swirl in
            let create = try swirl.run(["template", "create", fixture("template.yaml").path])
            #expect(create.succeeded, "\(create)")
            let list = try swirl.run(["template", "list"])
            #expect(list.stdoutLines.contains("e2e-greeter"), "\(list)")

            let submit = try swirl.run([
                "submit", "--from", "workflowtemplate/e2e-greeter", "-p", "who=swirl", "--wait", "-o", "name",
            ])
            #expect(submit.succeeded, "\(submit)")
            let name = try #require(submit.stdoutLines.first)
            #expect(name.hasPrefix("e2e-greeter-"), "\(name)")
            let logs = try swirl.run(["logs", name])
            #expect(logs.stdout.contains("hello-swirl"), "\(logs)")

            let missing = try swirl.run(["submit", "--from", "workflowtemplate/e2e-greter", "--wait"])
            #expect(missing.exitedNormally && missing.status != 0, "\(missing)")
            #expect(missing.stderr.contains("not found"), "\(missing)")
        }
    }

    /// `submit --wait` ends as Argo's does: the outcome line per workflow (none with `-o name`), and a failure
    /// status unless every workflow succeeded.
    @Test func submitWaitEndsWithTheOutcomeAndItsStatus() throws {
        try withSwirlHome { swirl in
            let ok = try swirl.run(["submit", fixture("quick.yaml").path, "--name", "fine", "--wait"], timeout: 30)
            #expect(ok.succeeded, "\(ok)")
            #expect(ok.stdoutLines.first?.hasPrefix("Name:") == true, "the submitted workflow first: \(ok)")
            let pattern = #/^fine Succeeded at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/#
            #expect(ok.stdoutLines.last.map { $0.wholeMatch(of: pattern) != nil } == true, "\(ok)")
            let failed = try swirl.run(
                ["submit", fixture("exit3.yaml").path, "--name", "broken", "--wait"], timeout: 30)
            #expect(failed.exitedNormally && failed.status == 1, "\(failed)")
            #expect(failed.stdoutLines.last?.hasPrefix("broken Failed at ") == true, "\(failed)")
            let named = try swirl.run(
                ["submit", fixture("exit3.yaml").path, "--name", "broken-again", "--wait", "-o", "name"], timeout: 30)
            #expect(named.exitedNormally && named.status == 1, "\(named)")
            #expect(named.stdoutLines == ["broken-again"], "\(named)")
            let typo = try swirl.run(["submit", fixture("quick.yaml").path, "--name", "typo", "-o", "jsno"])
            #expect(typo.exitedNormally && typo.status != 0, "\(typo)")
            #expect(typo.stderr.contains("unknown output format 'jsno', expected name, json, yaml or wide"), "\(typo)")
            #expect(try swirl.workflow("typo") == nil, "nothing submitted")
        }
    }

    @Test func waitForTwoWorkflows() throws {
        try withSwirlHome { swirl in
            let file = fixture("quick.yaml").path
            let a = try swirl.run(["submit", file, "--name", "wait-a", "-o", "name"])
            let b = try swirl.run(["submit", file, "--name", "wait-b", "-o", "name"])
            #expect(a.succeeded && b.succeeded, "\(a)\n\(b)")
            let wait = try swirl.run(["wait", "wait-a", "wait-b"], timeout: 30)
            #expect(wait.succeeded, "\(wait)")
            #expect(wait.stdoutLines.contains { $0.hasPrefix("wait-a Succeeded") }, "\(wait)")
            #expect(wait.stdoutLines.contains { $0.hasPrefix("wait-b Succeeded") }, "\(wait)")
            // Argo's line: `NAME PHASE at 2024-01-02 10:00:00 +0000 UTC`.
            let pattern = #/^wait-a Succeeded at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/#
            #expect(wait.stdoutLines.contains { $0.wholeMatch(of: pattern) != nil }, "\(wait)")
            let missing = try swirl.run(["wait", "wait-a", "no-such-wf"], timeout: 30)
            #expect(!missing.succeeded && missing.stderr.contains("workflow 'no-such-wf' not found"), "\(missing)")
            let ignoring = try swirl.run(["wait", "wait-b", "no-such-wf", "--ignore-not-found"], timeout: 30)
            #expect(ignoring.succeeded && ignoring.stdoutLines.count == 1, "\(ignoring)")
            #expect(try swirl.workflow("wait-a")?.phase == "Succeeded")
            #expect(try swirl.workflow("wait-b")?.phase == "Succeeded")
        }
    }

    @Test func deleteThenGetFails() throws {
        try withSwirlHome { swirl in
            _ = try swirl.run(["submit", fixture("params.yaml").path, "--wait", "--name", "doomed"])
            _ = try swirl.run(["submit", fixture("params.yaml").path, "--wait", "--name", "keeper"])
            #expect(try swirl.run(["get", "doomed"]).succeeded)
            let delete = try swirl.run(["delete", "doomed"])
            #expect(delete.succeeded, "\(delete)")
            let get = try swirl.run(["get", "doomed"])
            #expect(get.exitedNormally && get.status != 0, "\(get)")
            #expect(get.stderr.contains("not found"), "\(get)")
            #expect(try swirl.run(["get", "keeper"]).succeeded, "delete must only remove the named workflow")
            let list = try swirl.run(["list"])
            #expect(!list.stdout.contains("doomed") && list.stdout.contains("keeper"), "\(list)")
        }
    }

    @Test func aCommandLeavesNoLargeWALBehindAndLatestIsTheNewest() throws {
        try withSwirlHome { swirl in
            // 2,000 tasks under the noop executor: megabytes of WAL, which every later command that opens the
            // database first would read whole.
            let tasks = (0..<2_000).map { "      - {name: t\($0), template: step}" }.joined(separator: "\n")
            let manifest = """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: wide}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    dag:
                      tasks:
                \(tasks)
                  - name: step
                    container: {image: alpine, command: ["true"]}
                """
            let file = swirl.scratch.appendingPathComponent("wide.yaml")
            try manifest.write(to: file, atomically: true, encoding: .utf8)
            let submit = try swirl.run(["submit", file.path, "--executor", "noop", "--wait", "-o", "name"])
            try #require(submit.succeeded, "\(submit)")
            let wal = swirl.home.appendingPathComponent("swirl.sqlite-wal").path
            let size = (try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int ?? 0
            #expect(size <= 1 << 20, "WAL left at \(size) bytes")
            let latest = try swirl.run(["get", "@latest", "-o", "name"])
            #expect(latest.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "wide", "\(latest)")
        }
    }
}
