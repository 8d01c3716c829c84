import Foundation
import SwirlExpr
import SwirlSpec

/// One expanded child of a step or task: its name suffix and its item.
struct LoopItem {
    var index: Int
    var value: JSONValue

    /// Argo's `(index:item)` suffix; maps render as `k:v,k:v` with sorted keys.
    var suffix: String {
        let text: String
        switch value {
        case .object(let object):
            text = object.keys.sorted().map { "\($0):\(object[$0]?.templateText ?? "")" }.joined(separator: ",")
        default:
            text = value.templateText
        }
        return "(\(index):\(text.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")))"
    }
}

extension WorkflowEngine {
    /// The items of `withItems` / `withParam` / `withSequence`, or nil when the invocation is not a loop.
    func loopItems(_ invocation: any InvocationFields, scope: Scope) throws -> [LoopItem]? {
        if let items = invocation.withItems {
            return try items.enumerated().map { index, item in
                LoopItem(index: index, value: try substituteJSON(item, scope: scope))
            }
        }
        if let param = invocation.withParam {
            let text = try substitute(param, in: scope)
            guard case .array(let list)? = JSONValue.parse(text) else {
                throw EngineError("withParam value could not be parsed as a JSON list: \(text)")
            }
            return list.enumerated().map { LoopItem(index: $0, value: $1) }
        }
        if let sequence = invocation.withSequence {
            func int(_ value: IntOrString?) throws -> Int? {
                guard let value else { return nil }
                let text = try substitute(value.value, in: scope)
                guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw EngineError("withSequence value '\(text)' is not an integer")
                }
                return number
            }
            let start = try int(sequence.start) ?? 0
            var values: [Int] = []
            if let count = try int(sequence.count) {
                values = count > 0 ? Array(start..<(start + count)) : []
            } else if let end = try int(sequence.end) {
                values = start <= end ? Array(start...end) : Array(stride(from: start, through: end, by: -1))
            } else {
                throw EngineError("withSequence needs count or end")
            }
            return values.enumerated().map { index, number in
                let text = sequence.format.map {
                    String(format: $0.replacingOccurrences(of: "%d", with: "%ld"), number)
                }
                return LoopItem(index: index, value: .string(text ?? String(number)))
            }
        }
        return nil
    }

    /// Argument values of an invocation, substituted in `scope`.
    func argumentValues(_ invocation: any InvocationFields, scope: Scope) throws -> [String: String] {
        var values: [String: String] = [:]
        for parameter in invocation.arguments?.parameters ?? [] {
            guard let raw = parameter.value?.value else {
                if let expression = parameter.valueFrom?.expression {
                    values[parameter.name] = try substitute("{{=\(expression)}}", in: scope)
                }
                continue
            }
            values[parameter.name] = try substitute(raw, in: scope)
        }
        return values
    }

    /// Evaluates `when` (after substitution); nil when there is no condition.
    func whenHolds(_ invocation: any InvocationFields, scope: Scope) throws -> Bool {
        guard let condition = invocation.when else { return true }
        let text = try substitute(condition, in: scope)
        return try When.evaluate(text)
    }

    /// Starts one invocation (a step or task, not looped) or marks it Skipped / Error.
    mutating func startInvocation(_ invocation: any InvocationFields, at placement: Placement, scope: Scope) {
        // Node names are deterministic: an existing node means this invocation already started.
        if status.nodes[nodeID(placement.nodeName)] != nil { return }
        let template = resolveTemplate(
            name: invocation.template, ref: invocation.templateRef, inline: invocation.inline,
            scope: placement.templateScope)
        var placement = placement
        placement.templateScope = Self.childScope(ref: invocation.templateRef, current: placement.templateScope)
        let templateName = invocation.templateRef?.template ?? invocation.template
        do {
            if try !whenHolds(invocation, scope: scope) {
                let text = (try? substitute(invocation.when ?? "", in: scope)) ?? invocation.when ?? ""
                var node = createNode(
                    name: placement.nodeName, displayName: placement.displayName, type: .skipped,
                    templateName: templateName, boundaryID: placement.boundaryID, parentID: placement.parentID,
                    phase: .skipped, message: "when '\(text)' evaluated false")
                node.templateRef = invocation.templateRef
                put(node)
                childCompleted(node.id)
                return
            }
            guard let template else {
                throw EngineError("template '\(templateName ?? "")' not found")
            }
            let arguments = try argumentValues(invocation, scope: scope)
            let artifacts = try artifactArguments(invocation.arguments?.artifacts, scope: scope)
            let id = invoke(
                template: template, templateRef: invocation.templateRef, at: placement, arguments: arguments,
                artifacts: artifacts, scope: scope)
            if invocation.hooks != nil, let node = status.nodes[id], !node.phase.isCompleted { fireStepHooks(node) }
        } catch {
            let node = createNode(
                name: placement.nodeName, displayName: placement.displayName, type: .pod, templateName: templateName,
                boundaryID: placement.boundaryID, parentID: placement.parentID, phase: .pending)
            complete(node.id, phase: .error, message: "\(error)")
        }
    }
}
