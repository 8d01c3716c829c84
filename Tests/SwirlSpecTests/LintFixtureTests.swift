import SwirlSpec
import Testing

/// One fixture per class of error, asserting exact positions and messages.
@Suite struct LintFixtureTests {
    @Test(arguments: Fixtures.files(in: "valid"))
    func validFixturesHaveNoDiagnostics(_ name: String) {
        #expect(Fixtures.lint(name) == [])
    }

    @Test func unknownFieldsSuggestTheNearestName() {
        #expect(
            Fixtures.lint("unknown-fields.yaml") == [
                "unknown-fields.yaml:5:3: error: metadata.lables: unknown field 'lables', did you mean 'labels'?",
                "unknown-fields.yaml:7:1: error: spec.entrypoint: missing entrypoint: a Workflow needs 'entrypoint' naming the template to run (one of 'main'), or a 'workflowTemplateRef'",
                "unknown-fields.yaml:8:3: error: spec.entrypiont: unknown field 'entrypiont', did you mean 'entrypoint'?",
                "unknown-fields.yaml:12:7: error: spec.templates[0].inputs.paramters: unknown field 'paramters', did you mean 'parameters'?",
                "unknown-fields.yaml:16:7: error: spec.templates[0].container.imagePullPolcy: unknown field 'imagePullPolcy', did you mean 'imagePullPolicy'?",
                "unknown-fields.yaml:22:7: error: spec.templates[0].volumes[0].emptyDirr: unknown field 'emptyDirr' in volume, did you mean 'emptyDir'?",
                "unknown-fields.yaml:23:7: error: spec.templates[0].volumes[1]: a volume has exactly one source, found 'emptyDir', 'hostPath'",
            ])
    }

    @Test func wrongShapes() {
        #expect(
            Fixtures.lint("wrong-shapes.yaml") == [
                "wrong-shapes.yaml:10:7: error: spec.templates[0].steps[0]: expected a list, found a mapping",
                "wrong-shapes.yaml:16:9: error: spec.templates[1].container.args: expected a list, found a mapping",
            ])
    }

    @Test func decodingErrorsOfTheTypedModelAreReported() {
        #expect(
            Fixtures.lint("decode-error.yaml") == [
                "decode-error.yaml:7:16: error: spec.parallelism: expected an integer"
            ])
    }

    @Test func unknownTemplateNames() {
        #expect(
            Fixtures.lint("unknown-template.yaml") == [
                "unknown-template.yaml:6:15: error: spec.entrypoint: unknown template 'mian', did you mean 'main'?",
                "unknown-template.yaml:7:11: error: spec.onExit: unknown template 'exit-handlr', did you mean 'exit-handler'?",
                "unknown-template.yaml:11:17: error: spec.hooks.running.template: unknown template 'whalesay2', did you mean 'whalesay'?",
                "unknown-template.yaml:16:19: error: spec.templates[0].steps[0][0].template: unknown template 'whalesay2', did you mean 'whalesay'?",
                "unknown-template.yaml:17:9: error: spec.templates[0].steps[0][1]: step 'nothing' needs one of 'template', 'templateRef' or 'inline'",
            ])
    }

    @Test func templateRefsAgainstKnownTemplates() {
        let diagnostics = Fixtures.lint(
            "template-ref.yaml", knownTemplates: ["shared": ["print-message"]],
            knownClusterTemplates: ["shared-cluster": ["print-message"]])
        #expect(
            diagnostics == [
                "template-ref.yaml:14:21: error: spec.templates[0].dag.tasks[0].templateRef.template: unknown template 'print-mesage' in WorkflowTemplate 'shared', did you mean 'print-message'?",
                "template-ref.yaml:22:17: warning: spec.templates[0].dag.tasks[2].templateRef.name: unknown WorkflowTemplate 'not-stored-yet'; it must exist when the workflow runs",
            ])
    }

    @Test func templateRefsWithoutKnownTemplatesAreOnlyWarnings() {
        let diagnostics = Linter.lint(text: Fixtures.text("template-ref.yaml"), file: "t.yaml")
        #expect(diagnostics.count == 3)
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
        #expect(diagnostics[1].message.hasPrefix("unknown ClusterWorkflowTemplate 'shared-cluster'"))
    }

    @Test func dagCyclesAndUnknownNamesInDepends() {
        #expect(
            Fixtures.lint("dag-cycle.yaml") == [
                "dag-cycle.yaml:12:9: error: spec.templates[0].dag.tasks[0].depends: dependency cycle: A -> C -> B -> A",
                "dag-cycle.yaml:18:24: error: spec.templates[0].dag.tasks[2].depends: unknown task 'lonely' in depends",
                "dag-cycle.yaml:21:9: error: spec.templates[0].dag.tasks[3].depends: dependency cycle: D -> D",
            ])
    }

    @Test func dagDependenciesMixingAndTargets() {
        #expect(
            Fixtures.lint("dag-dependencies.yaml") == [
                "dag-dependencies.yaml:10:15: error: spec.templates[0].dag.target: unknown target task 'procss', did you mean 'process'?",
                "dag-dependencies.yaml:15:31: error: spec.templates[0].dag.tasks[1].dependencies[1]: unknown dependency 'fecth', did you mean 'fetch'?",
                "dag-dependencies.yaml:18:9: error: spec.templates[0].dag.tasks[2].depends: cannot mix 'dependencies' and 'depends' in one dag: task 'report' uses 'depends', task 'process' uses 'dependencies'",
            ])
    }

    @Test func undeclaredVariables() {
        #expect(
            Fixtures.lint("undeclared-variables.yaml") == [
                "undeclared-variables.yaml:18:21: error: spec.templates[0].steps[0][0].arguments.parameters[0].value: spec.arguments.parameters has no parameter 'regoin', did you mean 'region'? (in '{{workflow.parameters.regoin}}')",
                "undeclared-variables.yaml:24:21: error: spec.templates[0].steps[1][0].arguments.parameters[0].value: template 'main' has no step 'generat', did you mean 'generate'? (in '{{steps.generat.outputs.result}}')",
                "undeclared-variables.yaml:32:20: error: spec.templates[1].container.args[0]: template 'print' declares no input parameter 'mesage', did you mean 'message'? (in '{{inputs.parameters.mesage}}')",
                "undeclared-variables.yaml:32:49: error: spec.templates[1].container.args[0]: template 'print' declares no input artifact 'data' (in '{{inputs.artifacts.data.path}}')",
                "undeclared-variables.yaml:32:80: error: spec.templates[1].container.args[0]: '{{tasks.x.id}}' refers to task 'x', but template 'print' is not a dag template (in '{{tasks.x.id}}')",
                "undeclared-variables.yaml:39:15: error: spec.templates[2].script.source: template 'script' declares no input parameter 'message' (in '{{inputs.parameters.message}}')",
            ])
    }

    @Test func duplicateNames() {
        #expect(
            Fixtures.lint("duplicates.yaml") == [
                "duplicates.yaml:10:11: error: spec.volumes[1].name: duplicate volume name 'data' (first defined at line 8)",
                "duplicates.yaml:17:15: error: spec.templates[0].steps[1][0].name: duplicate step name 'one' in template 'main' (first defined at line 15)",
                "duplicates.yaml:24:15: error: spec.templates[1].dag.tasks[1].name: duplicate dag task name 't' in template 'graph' (first defined at line 22)",
                "duplicates.yaml:31:15: error: spec.templates[2].inputs.parameters[1].name: duplicate input parameter name 'p' (first defined at line 29)",
                "duplicates.yaml:35:11: error: spec.templates[3].name: duplicate template name 'leaf' (first defined at line 26)",
            ])
    }

    @Test func missingEntrypointOnlyForWorkflows() {
        #expect(
            Fixtures.lint("missing-entrypoint.yaml") == [
                "missing-entrypoint.yaml:5:1: error: spec.entrypoint: missing entrypoint: a Workflow needs 'entrypoint' naming the template to run (one of 'main'), or a 'workflowTemplateRef'"
            ])
    }

    @Test func templateTypesAndNames() {
        #expect(
            Fixtures.lint("template-types.yaml") == [
                "template-types.yaml:8:5: error: spec.templates[0]: template 'main' has no type: set one of container, script, dag, steps, suspend, resource, data, http, containerSet, plugin",
                "template-types.yaml:13:5: error: spec.templates[1].script: template 'two-types' has more than one type: 'container' and 'script'; a template has exactly one",
                "template-types.yaml:17:5: error: spec.templates[2].resource: resource templates need the kubernetes executor, which Swirl does not have yet",
                "template-types.yaml:20:11: error: spec.templates[3].name: invalid template name '-bad_name': use letters, digits and '-', starting with a letter or digit",
            ])
    }

    @Test func badYAML() {
        #expect(
            Fixtures.lint("bad-syntax.yaml") == [
                "bad-syntax.yaml:10:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 9, column 24)"
            ])
        #expect(
            Fixtures.lint("duplicate-key.yaml") == [
                "duplicate-key.yaml:11:7: error: duplicate key 'image' (first at line 10)"
            ])
        #expect(
            Fixtures.lint("tabs.yaml") == [
                "tabs.yaml:6:1: error: invalid YAML: found character that cannot start any token; tabs cannot be used for indentation, use spaces"
            ])
    }

    @Test func emptyFiles() {
        let expected =
            "error: empty file: expected a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow"
        #expect(Fixtures.lint("empty.yaml") == ["empty.yaml:1:1: \(expected)"])
        #expect(Fixtures.lint("comment-only.yaml") == ["comment-only.yaml:1:1: \(expected)"])
    }

    @Test func unknownKind() {
        #expect(
            Fixtures.lint("unknown-kind.yaml") == [
                "unknown-kind.yaml:2:7: error: kind: unknown kind 'Workflw', did you mean 'Workflow'? (expected one of Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow)"
            ])
    }

    @Test func lintFileReadsFromDisk() {
        let path = Fixtures.path("dag-cycle.yaml")
        let diagnostics = Linter.lint(file: path)
        #expect(diagnostics.count == 3)
        #expect(diagnostics.allSatisfy { $0.file == path })
        #expect(Linter.lint(file: "/nonexistent/wf.yaml").map(\.message) == ["cannot read file"])
    }
}
