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

    @Test func tagCheckAgreesWithSubstringSearch() {
        let fixed = ["", "{", "{{", "{ {", "a{b{{c", "}}{{", "é{{x}}", "{é{", "{{{", "text without tags", "a}b{c"]
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["{", "}", "a", " ", "é", "\n"]
        let random = (0..<500).map { _ in
            String((0..<Int.random(in: 0..<8, using: &generator)).map { _ in alphabet.randomElement()! })
        }
        for text in fixed + random {
            #expect(TemplateString.mayContainTags(text) == text.contains("{{"), "\(text.debugDescription)")
        }
    }

    @Test func whitespaceAroundNamesIsAllowed() throws {
        #expect(try TemplateString.substitute("{{   workflow.name\t}}", lookup: lookup) == "wf-1")
    }

    @Test func substitutionIsSinglePass() throws {
        let out = try TemplateString.substitute("{{a}}", lookup: { $0 == "a" ? "{{b}}" : "B" })
        #expect(out == "{{b}}")
    }

    @Test func nestedTagsResolveInnermostFirst() throws {
        let map = ["inner": "suffix", "outer-suffix": "final-value", "C": "valC", "B valC": "valB", "A valB": "final"]
        let pass1 = try TemplateString.substitute("{{outer-{{inner}}}}", lookup: { map[$0] })
        #expect(pass1 == "{{outer-suffix}}")
        #expect(try TemplateString.substitute(pass1, lookup: { map[$0] }) == "final-value")
        var text = "{{A {{B {{C}}}}}}"
        var passes: [String] = []
        for _ in 0..<3 {
            text = try TemplateString.substitute(text, lookup: { map[$0] })
            passes.append(text)
        }
        #expect(passes == ["{{A {{B valC}}}}", "{{A valB}}", "final"])
        #expect(TemplateString.references(in: "{{a {{b}}}}") == ["b"])
    }

    @Test func argoEscapingCases() throws {
        let cases: [(String, String)] = [
            ("{{='test'}}", "test"),
            (#"{{="test"}}"#, "test"),
            (#"{{='some\\path'}}"#, #"some\path"#),
            ("{{=1 + \n1}}", "2"),
            ("{{=toJson('test')}}", #""test""#),
            ("{{=toJson({test: 1})}}", #"{"test":1}"#),
            ("{{=toJson([1, '2', {an: 'object'}])}}", #"[1,"2",{"an":"object"}]"#),
            (#"{{="'"}}"#, "'"),
            (#"{{='"'}}"#, #"""#),
            ("{{=true == false}}", "false"),
            (
                #"{{=jsonpath('{"employees": [{"name": "Baris", "age":43}, {"name": "Mo", "age": 42}]}', "#
                    + #"'$.employees[*].name')}}"#, #"["Baris","Mo"]"#
            ),
            (
                #"{{=jsonpath('{"employees": [{"name": "Baris", "age":43}]}', '$.employees[0]')}}"#,
                #"{"age":43,"name":"Baris"}"#
            ),
        ]
        for (input, want) in cases {
            #expect(try TemplateString.substitute(input, lookup: { _ in nil }, env: { [:] }) == want, "\(input)")
        }
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
        let out = try TemplateString.substitute(
            "{{=1+1}} {{item}}",
            lookup: {
                called = true
                return $0 == "item" ? "i" : nil
            })
        #expect(out == "{{=1+1}} i")
        #expect(called)
    }

    @Test func envNotCalledWithoutExpressions() throws {
        var called = false
        _ = try TemplateString.substitute(
            "{{item}}", lookup: lookup,
            env: {
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
