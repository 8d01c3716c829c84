import Testing

@testable import SwirlExpr

@Suite struct DependsTests {
    @Test func taskNamesInOrderWithoutDuplicates() throws {
        #expect(try Depends.taskNames(in: "A && (B.Failed || C-x.Succeeded)") == ["A", "B", "C-x"])
        #expect(try Depends.taskNames(in: "task-1.Succeeded || task-1.Failed || !b2") == ["task-1", "b2"])
    }

    @Test(arguments: Depends.selectors)
    func everySelectorIsPassedThrough(selector: String) throws {
        var seen: [String?] = []
        let result = try Depends.evaluate("A.\(selector)") { task, sel in
            #expect(task == "A")
            seen.append(sel)
            return sel == selector
        }
        #expect(result)
        #expect(seen == [selector])
    }

    @Test func bareNameGetsNilSelector() throws {
        var seen: [String?] = ["x"]
        _ = try Depends.evaluate("A") { _, sel in
            seen = [sel]
            return true
        }
        #expect(seen == [nil])
    }

    @Test func andBindsTighterThanOr() throws {
        let truth = ["A": true, "B": false, "C": false]
        // A || (B && C) = true; (A || B) && C would be false.
        #expect(try Depends.evaluate("A || B && C") { t, _ in truth[t] ?? false })
        #expect(try !Depends.evaluate("(A || B) && C") { t, _ in truth[t] ?? false })
        #expect(try Depends.evaluate("B && C || A") { t, _ in truth[t] ?? false })
    }

    @Test func negationAndParentheses() throws {
        let truth = ["A": true, "B": false]
        #expect(try Depends.evaluate("!B") { t, _ in truth[t] ?? false })
        #expect(try !Depends.evaluate("!(A || B)") { t, _ in truth[t] ?? false })
        #expect(try Depends.evaluate("!!A && !(B)") { t, _ in truth[t] ?? false })
    }

    @Test func selectorsResolveIndependently() throws {
        let result = try Depends.evaluate("build-1.Succeeded && (test.Failed || test.Errored)") { task, sel in
            switch (task, sel) {
            case ("build-1", "Succeeded"): return true
            case ("test", "Errored"): return true
            default: return false
            }
        }
        #expect(result)
    }

    @Test func unknownSelectorNamesTheValidOnes() {
        do {
            _ = try Depends.evaluate("A && B.Succeded") { _, _ in true }
            Issue.record("expected an error")
        } catch let error as ExprError {
            #expect(error.column == 8)
            #expect(error.message.contains("Succeded"))
            #expect(error.message.contains(".Succeeded"))
            #expect(error.message.contains(".AllFailed"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func malformedExpressionsReportColumns() {
        let cases: [(String, Int)] = [("", 1), ("A &&", 5), ("(A || B", 8), ("A B", 3), ("A & B", 3), ("A || )", 6)]
        for (text, column) in cases {
            do {
                _ = try Depends.taskNames(in: text)
                Issue.record("expected an error for \(text)")
            } catch let error as ExprError {
                #expect(error.column == column, "\(text): \(error)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let deep = String(repeating: "(", count: 5000) + "A" + String(repeating: ")", count: 5000)
        #expect(throws: ExprError.self) { try Depends.taskNames(in: deep) }
        let long = (0..<5000).map { "t\($0)" }.joined(separator: " && ")
        #expect(throws: ExprError.self) { try Depends.evaluate(long) { _, _ in true } }
    }
}
