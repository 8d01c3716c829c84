import Foundation
import Testing

@testable import SwirlSpec

/// Smaller cases written inline: the pieces of the linter and the less common paths.
@Suite struct LinterUnitTests {
    static func lint(_ text: String, known: [String: Set<String>] = [:], cluster: [String: Set<String>] = [:])
        -> [String]
    {
        Linter.lint(text: text, file: "wf.yaml", knownTemplates: known, knownClusterTemplates: cluster).map(
            \.description)
    }

    /// A DAG of `tasks` tasks (one line each), with `parallelism` as given.
    static func bigDAG(tasks: Int, parallelism: String) -> String {
        let lines = (0..<tasks).map { "      - {name: t\($0), template: step}" }
        return """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {generateName: big-}
            spec:
              entrypoint: main
              parallelism: \(parallelism)
              templates:
              - name: main
                dag:
                  tasks:
            \(lines.joined(separator: "\n"))
              - name: step
                container: {image: alpine, command: [true], bogus: 1}
            """
    }

    @Test func aBigFileIsDecodedBesideTheChecksWithTheSameFindingsAndModel() throws {
        // Past `linesToDecodeAside` lines the typed model is decoded on another thread: its finding still comes in
        // order, and the model `lintAndLoad` returns is the one decoding gives.
        for tasks in [10, Linter.linesToDecodeAside + 10] {
            let bad = Self.lint(Self.bigDAG(tasks: tasks, parallelism: "abc"))
            let line = tasks + 12
            #expect(
                bad == [
                    "wf.yaml:6:16: error: spec.parallelism: expected an integer",
                    "wf.yaml:\(line):49: error: spec.templates[1].container.bogus: unknown field 'bogus'",
                ], "\(tasks) tasks")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).yaml")
            defer { try? FileManager.default.removeItem(at: path) }
            let good = Self.bigDAG(tasks: tasks, parallelism: "2").replacingOccurrences(of: ", bogus: 1", with: "")
            try good.write(to: path, atomically: true, encoding: .utf8)
            let (diagnostics, documents) = try Linter.lintAndLoad(file: path.path)
            #expect(diagnostics.isEmpty)
            let loaded = try #require(documents?.first)
            guard case .workflow(let workflow) = loaded.manifest,
                case .workflow(let direct) = try ManifestLoader.decode(node: loaded.node, file: path.path)
            else {
                Issue.record("not a workflow")
                continue
            }
            #expect(workflow.spec.parallelism == 2)
            #expect(workflow.spec.templates?.first?.dag?.tasks.count == tasks)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            #expect(try encoder.encode(workflow) == encoder.encode(direct))
        }
    }

    @Test func diagnosticDescription() {
        let d = Diagnostic(file: "a.yaml", line: 3, column: 5, path: "spec.entrypoint", message: "boom")
        #expect(d.description == "a.yaml:3:5: error: spec.entrypoint: boom")
        let w = Diagnostic(file: "a.yaml", line: 0, column: 0, path: "", message: "hm", severity: .warning)
        #expect(w.description == "a.yaml: warning: hm")
    }

    @Test func nearestName() {
        #expect(NearestName.suggest(for: "whalesay2", among: ["whalesay", "main"]) == "whalesay")
        #expect(NearestName.suggest(for: "entrypiont", among: ["entrypoint", "templates"]) == "entrypoint")
        #expect(NearestName.suggest(for: "Templates", among: ["templates"]) == "templates")
        #expect(NearestName.suggest(for: "E", among: ["A", "B"]) == nil)
        #expect(NearestName.suggest(for: "completely", among: ["different"]) == nil)
        #expect(NearestName.distance(Array("ab"), Array("ba")) == 1)
    }

    @Test func dependsTokenizer() {
        let names = DependsTokenizer.names(in: "(A.Succeeded || b-2.Failed) && !C_3 && A.AnySucceeded").map(\.name)
        #expect(names == ["A", "b-2", "C_3", "A"])
        #expect(DependsTokenizer.names(in: "x && y").map(\.offset) == [0, 5])
    }

    @Test func variableScanner() {
        let refs = VariableScanner.references(in: "a {{ inputs.parameters.x }} {{=1+1}} {{item}} {{unclosed")
        #expect(refs.map(\.content) == ["inputs.parameters.x", "item"])
        #expect(refs.first?.raw == "{{ inputs.parameters.x }}")
    }

    @Test func workflowTemplateRefUsesKnownTemplatesForEntrypoint() {
        let text = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {generateName: x-}
            spec:
              entrypoint: mian
              workflowTemplateRef: {name: lib}
            """
        #expect(
            Self.lint(text, known: ["lib": ["main"]]) == [
                "wf.yaml:5:15: error: spec.entrypoint: unknown template 'mian', did you mean 'main'?"
            ])
        // Unknown library: the entrypoint cannot be checked, the reference is a warning.
        #expect(
            Self.lint(text) == [
                "wf.yaml:6:31: warning: spec.workflowTemplateRef.name: unknown WorkflowTemplate 'lib'; it must exist when the workflow runs"
            ])
    }

    @Test func clusterTemplateRefs() {
        let text = """
            kind: Workflow
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - name: s
                    templateRef: {name: lib, template: hello, clusterScope: true}
            """
        #expect(Self.lint(text, cluster: ["lib": ["hello"]]) == [])
        #expect(
            Self.lint(text, known: ["lib": ["hello"]]).first?.contains("unknown ClusterWorkflowTemplate 'lib'") == true)
    }

    @Test func cronWorkflowSpecIsChecked() {
        let text = """
            apiVersion: argoproj.io/v1alpha1
            kind: CronWorkflow
            metadata: {name: c}
            spec:
              schedule: "* * * * *"
              workflowSpec:
                templates:
                - name: main
                  suspend: {}
            """
        #expect(
            Self.lint(text) == [
                "wf.yaml:6:3: error: spec.workflowSpec.entrypoint: missing entrypoint: a CronWorkflow needs 'entrypoint' naming the template to run (one of 'main'), or a 'workflowTemplateRef'"
            ])
        #expect(
            Self.lint("kind: CronWorkflow\nmetadata: {name: c}\nspec:\n  schedules: [\"@daily\"]\n") == [
                "wf.yaml:4:3: error: spec: missing required field 'workflowSpec'"
            ])
    }

    @Test func jsonInputIsYAML() {
        let json =
            #"{"kind":"Workflow","spec":{"entrypoint":"main","templates":[{"name":"main","suspend":{},"sidecar":[]}]}}"#
        #expect(
            Self.lint(json) == [
                "wf.yaml:1:89: error: spec.templates[0].sidecar: unknown field 'sidecar', did you mean 'sidecars'?"
            ])
    }

    @Test func laterDocumentSyntaxErrorStillLintsEarlierOnes() {
        let text = """
            kind: Workflow
            spec:
              entrypoint: nope
              templates: [{name: main, suspend: {}}]
            ---
            kind: Workflow
            spec: [unclosed
            """
        let diagnostics = Self.lint(text)
        #expect(diagnostics.count == 2)
        #expect(diagnostics[0] == "wf.yaml:3:15: error: spec.entrypoint: unknown template 'nope'")
        #expect(diagnostics[1].hasPrefix("wf.yaml:8:1: error: invalid YAML:"))
    }

    @Test func documentThatIsNotAMapping() {
        #expect(
            Self.lint("- a\n- b\n") == [
                "wf.yaml:1:1: error: expected a Kubernetes object (a mapping with apiVersion, kind, metadata, spec), found a list"
            ])
    }

    @Test func inlineTemplatesAreCheckedAsTemplates() {
        let text = """
            kind: Workflow
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
                  - name: a
                    inline:
                      inputs: {parameters: [{name: p}]}
                      container: {image: alpine, args: ["{{inputs.parameters.q}}"], imag: x}
            """
        #expect(
            Self.lint(text) == [
                "wf.yaml:11:46: error: spec.templates[0].dag.tasks[0].inline.container.args[0]: this inline template declares no input parameter 'q' (in '{{inputs.parameters.q}}')",
                "wf.yaml:11:73: error: spec.templates[0].dag.tasks[0].inline.container.imag: unknown field 'imag', did you mean 'image'?",
            ])
    }

    @Test func workflowTemplatesMayUseCallerParameters() {
        let text = """
            kind: WorkflowTemplate
            metadata: {name: lib}
            spec:
              templates:
              - name: t
                container: {image: alpine, args: ["{{workflow.parameters.anything}}"]}
            """
        #expect(Self.lint(text) == [])
    }

    @Test func opaqueKubernetesSubtreesAreNotDescended() {
        let text = """
            kind: Workflow
            spec:
              entrypoint: main
              affinity: {nodeAffinity: {anything: goes}}
              podGC: {strategy: OnPodSuccess}
              templates:
              - name: main
                container:
                  image: alpine
                  securityContext: {runAsUser: 1000, madeUp: true}
                  resources: {limits: {memory: 1Gi}}
                outputs:
                  artifacts:
                  - name: out
                    path: /tmp/out
                    s3: {bucket: b, key: k, whatever: 1}
            """
        #expect(Self.lint(text) == [])
    }
}

@Suite struct LinterScaleTests {
    @Test func longDependencyChainWithACycleAtTheEnd() {
        let count = 5000
        var text =
            "kind: Workflow\nspec:\n  entrypoint: main\n  templates:\n  - name: leaf\n    suspend: {}\n  - name: main\n    dag:\n      tasks:\n"
        for i in 0..<count {
            let dependency = i == 0 ? "t\(count - 1)" : "t\(i - 1)"
            text += "      - {name: t\(i), template: leaf, dependencies: [\(dependency)]}\n"
        }
        let diagnostics = Linter.lint(text: text, file: "big.yaml")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.hasPrefix("dependency cycle: t0 -> t4999 -> t4998") == true)
    }
}
