import Foundation
import SwirlExpr
import SwirlSpec

extension WorkflowEngine {
    func retryStrategy(for node: NodeStatus) -> RetryStrategy? {
        template(for: node)?.retryStrategy ?? workflow.spec.retryStrategy
    }

    /// Starts the next attempt `name(n)` of a Retry node.
    mutating func startRetryAttempt(retryID: String) {
        guard let retry = status.nodes[retryID], !retry.phase.isCompleted, let template = template(for: retry) else {
            return
        }
        if shutdown != nil {
            complete(retryID, phase: .failed, message: shutdownMessage)
            return
        }
        let attempt = retry.children?.count ?? 0
        invokeBody(
            template: template, templateRef: retry.templateRef,
            at: Placement(
                nodeName: "\(retry.name)(\(attempt))", displayName: "\(retry.displayName)(\(attempt))",
                boundaryID: retry.boundaryID, parentID: retryID, templateScope: retry.templateScope),
            inputs: retry.inputs, retries: attempt)
    }

    /// An attempt finished: retry it (maybe after a backoff) or complete the Retry node with its outcome.
    mutating func retryChildCompleted(retryID: String, childID: String) {
        guard let retry = status.nodes[retryID], let child = status.nodes[childID] else { return }
        if !child.phase.isFailure || shutdown != nil {
            // A serving daemon fulfils its Retry node, which succeeds (the attempt itself stays Running).
            let phase = child.daemoned == true && !child.phase.isCompleted ? .succeeded : child.phase
            complete(retryID, phase: phase, message: child.message, outputs: child.outputs)
            return
        }
        let strategy = retryStrategy(for: retry) ?? RetryStrategy()
        let attempts = retry.children?.count ?? 1
        let limit = strategy.limit.flatMap { Int((try? substitute($0.value, in: Scope(node: retry))) ?? $0.value) }
        let policy =
            strategy.retryPolicy ?? (strategy.expression != nil && strategy.limit == nil ? "Always" : "OnFailure")
        var allowed: Bool
        switch policy {
        case "Always": allowed = true
        case "OnError": allowed = child.phase == .error
        case "OnTransientError":
            // Argo: an Error or Failed attempt whose message is a transient error (built in, or matching the
            // controller's TRANSIENT_ERROR_PATTERN).
            allowed =
                (child.phase == .error || child.phase == .failed)
                && TransientError.isTransient(child.message ?? "", pattern: options.transientErrorPattern)
        default: allowed = child.phase == .failed
        }
        if let limit, attempts > limit { allowed = false }
        if allowed, let expression = strategy.expression {
            var env: [String: ExprValue] = [:]
            env["lastRetry"] = .map([
                "exitCode": .string(child.outputs?.exitCode ?? "-1"), "status": .string(child.phase.rawValue),
                "duration": .string(String(Int((child.finishedAt ?? now).timeIntervalSince(child.startedAt ?? now)))),
                "message": .string(child.message ?? ""),
            ])
            allowed = (try? Expr.evaluateBool(expression, env: env, now: now)) ?? false
        }
        var delay: Double = 0
        if allowed, let backoff = strategy.backoff {
            delay = backoffDelay(for: retry)
            if let maxDuration = backoff.maxDuration.flatMap({ GoDuration.seconds($0.value) }),
                let first = retry.startedAt, now.addingTimeInterval(delay).timeIntervalSince(first) > maxDuration
            {
                allowed = false
            }
        }
        guard allowed else {
            let message = child.message.map { "\($0)" } ?? "No more retries left"
            complete(retryID, phase: child.phase, message: message, outputs: child.outputs)
            return
        }
        if delay > 0 {
            let due = now.addingTimeInterval(delay)
            timers[retryID] = due
            pendingActions.append(.wakeAt(due))
        } else {
            startRetryAttempt(retryID: retryID)
        }
    }

    /// Argo's backoff before the next attempt: duration × factor^(attempts − 1), capped by `cap`.
    func backoffDelay(for retry: NodeStatus) -> Double {
        guard let backoff = retryStrategy(for: retry)?.backoff else { return 0 }
        let attempts = max(1, retry.children?.count ?? 1)
        let base = backoff.duration.flatMap { GoDuration.seconds($0.value) } ?? 0
        let factor = backoff.factor.flatMap { Double($0.value) } ?? 1
        var delay = base * pow(factor, Double(attempts - 1))
        if let cap = backoff.cap.flatMap({ GoDuration.seconds($0.value) }) { delay = min(delay, cap) }
        return delay
    }

    /// Fires every timer that is due: retry backoffs and suspend durations.
    mutating func fireDueTimers() {
        let due = timers.filter { $0.value <= now }.map(\.key).sorted()
        for id in due {
            timers[id] = nil
            guard let node = status.nodes[id], !node.phase.isCompleted else { continue }
            switch node.type {
            case .retry: startRetryAttempt(retryID: id)
            case .suspend: complete(id, phase: .succeeded)
            default:
                if id == name {
                    deadlineExceeded = true
                    beginShutdown(terminate: true, message: "Step exceeded its deadline")
                }
            }
        }
        if let next = timers.values.min() { pendingActions.append(.wakeAt(next)) }
    }
}
