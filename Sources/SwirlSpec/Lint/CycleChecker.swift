import Yams

/// Task names mentioned in a `depends` expression, with their offsets in it.
enum DependsTokenizer {
    /// Names are `[A-Za-z0-9_-]+`, optionally followed by `.Succeeded`, `.Failed` …, which is not a name.
    static func names(in expression: String) -> [(name: String, offset: Int)] {
        let scalars = Array(expression.unicodeScalars)
        var result: [(String, Int)] = []
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
        }
        while i < scalars.count {
            guard isNameChar(scalars[i]) else { i += 1; continue }
            let start = i
            while i < scalars.count, isNameChar(scalars[i]) { i += 1 }
            var name = String(String.UnicodeScalarView(scalars[start..<i]))
            // A leading '-' can only be an operator typo; keep the name itself.
            while name.hasPrefix("-") { name.removeFirst() }
            if !name.isEmpty { result.append((name, start + (i - start - name.count))) }
            if i < scalars.count, scalars[i] == "." {  // `.Succeeded`: the result, not a task
                i += 1
                while i < scalars.count, isNameChar(scalars[i]) { i += 1 }
            }
        }
        return result
    }
}

/// Check 3: DAG dependencies — unknown names, mixing `dependencies` with `depends`, cycles, `target`.
extension SpecChecker {
    private struct Edge {
        var from: Int
        var to: Int
    }

    func checkDAG(_ dag: Node, at path: FieldPath) {
        let tasks = dag.lintField("tasks")?.lintItems ?? []
        let names = tasks.map { $0.lintField("name")?.lintString }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() { if let name, index[name] == nil { index[name] = i } }
        let validNames = names.compactMap { $0 }

        var edges: [[Int]] = Array(repeating: [], count: tasks.count)
        var firstStyle: (key: String, task: String)?
        var mixReported = false
        for (t, task) in tasks.enumerated() {
            let taskPath = path + "tasks" + t
            for key in ["dependencies", "depends"] {
                guard let value = task.lintField(key), !value.isNull else { continue }
                if let first = firstStyle, first.key != key, !mixReported {
                    mixReported = true
                    context.report(
                        "cannot mix 'dependencies' and 'depends' in one dag: task '\(names[t] ?? "?")' uses '\(key)', task '\(first.task)' uses '\(first.key)'",
                        at: task.lintKeyNode(key), path: taskPath + key)
                } else if firstStyle == nil {
                    firstStyle = (key, names[t] ?? "?")
                }
            }
            for (d, dependency) in (task.lintField("dependencies")?.lintItems ?? []).enumerated() {
                guard let name = dependency.lintString else { continue }
                if let target = index[name] {
                    edges[t].append(target)
                } else {
                    let hint = NearestName.hint(for: name, among: validNames)
                    context.report(
                        "unknown dependency '\(name)'\(hint)", at: dependency, path: taskPath + "dependencies" + d)
                }
            }
            if let depends = task.lintField("depends"), let expression = depends.lintString,
                !expression.contains("{{")
            {
                for (name, offset) in DependsTokenizer.names(in: expression) {
                    if let target = index[name] {
                        edges[t].append(target)
                    } else {
                        let hint = NearestName.hint(for: name, among: validNames)
                        let (line, column) = position(inScalar: depends, offset: offset)
                        context.report(
                            "unknown task '\(name)' in depends\(hint)", line: line, column: column,
                            path: taskPath + "depends")
                    }
                }
            }
        }
        reportCycles(edges: edges, names: names, tasks: tasks, path: path)

        if let targetNode = dag.lintField("target"), let target = targetNode.lintString, !target.contains("{{") {
            for name in target.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            where index[name] == nil {
                let hint = NearestName.hint(for: name, among: validNames)
                context.report("unknown target task '\(name)'\(hint)", at: targetNode, path: path + "target")
            }
        }
    }

    /// The position of a character inside a one-line scalar (best effort for quoted ones).
    func position(inScalar node: Node, offset: Int) -> (line: Int, column: Int) {
        guard let mark = node.mark else { return (0, 0) }
        guard case .scalar(let scalar) = node, !scalar.string.contains("\n") else { return (mark.line, mark.column) }
        switch scalar.style {
        case .plain, .any: return (mark.line, mark.column + offset)
        case .singleQuoted, .doubleQuoted: return (mark.line, mark.column + 1 + offset)
        default: return (mark.line, mark.column)
        }
    }

    /// Finds each dependency cycle once and prints it as `A -> B -> C -> A` (each task depends on the next).
    private func reportCycles(edges: [[Int]], names: [String?], tasks: [Node], path: FieldPath) {
        enum Color { case white, grey, black }
        var color = Array(repeating: Color.white, count: edges.count)
        var stack: [Int] = []
        var reported = Set<Set<Int>>()

        // Iterative DFS so a 10,000-task chain cannot overflow the stack.
        for root in edges.indices where color[root] == .white {
            var work: [(node: Int, next: Int)] = [(root, 0)]
            color[root] = .grey
            stack.append(root)
            while let top = work.last {
                let node = top.node
                if top.next < edges[node].count {
                    work[work.count - 1].next += 1
                    let target = edges[node][top.next]
                    switch color[target] {
                    case .white:
                        color[target] = .grey
                        stack.append(target)
                        work.append((target, 0))
                    case .grey:
                        guard let start = stack.lastIndex(of: target) else { continue }
                        let cycle = Array(stack[start...])
                        guard reported.insert(Set(cycle)).inserted else { continue }
                        let first = cycle.min()!
                        let rotated = Array(
                            cycle[cycle.firstIndex(of: first)!...] + cycle[..<cycle.firstIndex(of: first)!])
                        let text = (rotated + [first]).map { names[$0] ?? "?" }.joined(separator: " -> ")
                        let task = tasks[first]
                        let key = task.lintField("depends") != nil ? "depends" : "dependencies"
                        context.report(
                            "dependency cycle: \(text)", at: task.lintKeyNode(key) ?? task,
                            path: path + "tasks" + first + key)
                    case .black:
                        continue
                    }
                } else {
                    color[node] = .black
                    stack.removeLast()
                    work.removeLast()
                }
            }
        }
    }
}
