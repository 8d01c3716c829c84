import Testing

@testable import SwirlExpr

@Suite struct TemplateStringTests {
    let values = ["inputs.parameters.x": "hello", "item": "3", "workflow.name": "wf-1"]

    func lookup(_ name: String) -> String? { values[name] }

    @Test func substitutesKnownNamesAndKeepsUnknownVerbatim() throws {
        let out = try TemplateString.substitute(
            "echo {{inputs.parameters.x}} {{ item }} {{steps.a.outputs.result}}", lookup: lookup)
        #expect(out == "echo hello 3 {{steps.a.outputs.result}}")
    }

    @Test func whitespaceAroundNamesIsAllowed() throws {
        #expect(try TemplateString.substitute("{{   workflow.name\t}}", lookup: lookup) == "wf-1")
    }

    @Test func substitutionIsSinglePass() throws {
        let out = try TemplateString.substitute("{{a}}", lookup: { $0 == "a" ? "{{b}}" : "B" })
        #expect(out == "{{b}}")
    }

    @Test func unclosedTagIsLiteral() throws {
        #expect(try TemplateString.substitute("a {{item", lookup: lookup) == "a {{item")
        #expect(try TemplateString.substitute("{{}} {", lookup: lookup) == "{{}} {")
    }

    @Test func expressionsAreEvaluatedAgainstEnv() throws {
        var calls = 0
        let env: () -> [String: ExprValue] = {
            calls += 1
            return ["inputs": ["parameters": ["n": "4", "my-param": "x"]]]
        }
        let out = try TemplateString.substitute(
            "{{=asInt(inputs.parameters.n) * 2}}/{{=inputs.parameters['my-param']}}/{{= 3 / 2 }}/{{item}}",
            lookup: lookup, env: env)
        #expect(out == "8/x/1.5/3")
        #expect(calls == 1)
    }

    @Test func expressionsWithoutEnvStayVerbatim() throws {
        var called = false
        let out = try TemplateString.substitute("{{=1+1}} {{item}}", lookup: {
            called = true
            return $0 == "item" ? "i" : nil
        })
        #expect(out == "{{=1+1}} i")
        #expect(called)
    }

    @Test func envNotCalledWithoutExpressions() throws {
        var called = false
        _ = try TemplateString.substitute("{{item}}", lookup: lookup, env: {
            called = true
            return [:]
        })
        #expect(!called)
    }

    @Test func expressionMayContainBraces() throws {
        let out = try TemplateString.substitute("x={{=toJson({'a': {'b': [1, 2]}})}}.", lookup: lookup, env: { [:] })
        #expect(out == #"x={"a":{"b":[1,2]}}."#)
    }

    @Test func expressionErrorsCarryColumnInText() throws {
        do {
            _ = try TemplateString.substitute("abc {{=1 + }}", lookup: lookup, env: { [:] })
            Issue.record("expected an error")
        } catch let error as ExprError {
            #expect(error.column == 12)
        }
    }

    @Test func allowUnresolvedKeepsFailingExpressions() throws {
        let out = try TemplateString.substitute(
            "{{=retries + 1}} {{=sprig.int(x)}}", lookup: lookup, env: { ["x": "2"] }, allowUnresolved: true)
        #expect(out == "{{=retries + 1}} 2")
        #expect(throws: ExprError.self) {
            try TemplateString.substitute("{{=retries + 1}}", lookup: lookup, env: { [:] })
        }
    }

    @Test func referencesAndExpressions() {
        let text = "{{inputs.parameters.x}} {{ item }} {{=item + 1}} {{item}} {{ = nope}}"
        #expect(TemplateString.references(in: text) == ["inputs.parameters.x", "item", "= nope"])
        #expect(TemplateString.expressions(in: text) == ["item + 1"])
        #expect(TemplateString.containsTags(text))
        #expect(!TemplateString.containsTags("plain { } }}"))
    }

    @Test func rendersValuesLikeArgo() throws {
        let env: () -> [String: ExprValue] = { ["xs": [1, 2], "m": ["b": 1, "a": "x"]] }
        let out = try TemplateString.substitute(
            "{{=xs}} {{=m}} {{=true}} {{=2 ** 3}} {{=1e6 * 1.0}} {{='s'}}", lookup: lookup, env: env)
        #expect(out == #"[1,2] {"a":"x","b":1} true 8 1e+06 s"#)
    }
}
