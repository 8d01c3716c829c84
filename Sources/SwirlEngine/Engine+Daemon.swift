import Foundation
import SwirlSpec

/// Daemon steps (`daemon: true`): a pod that keeps running in the background while the workflow goes on.
///
/// As in Argo, a daemon's dependents start once its pod is ready (its readiness probe passes, or at once without
/// one): the node stays Running with `daemoned: true`, which counts as fulfilled (and as the `Daemoned` result of
/// `depends`). When the steps or DAG template that started it ends (or the workflow does), the pod is stopped and
/// the node becomes Succeeded without the `daemoned` flag, whatever the pod's exit status (Argo's
/// `killDaemonedChildren` does the same). A daemoned pod that exits on its own stays Running until then.
///
/// Difference from Argo, for a single machine: `{{steps.NAME.ip}}` is 127.0.0.1, because sandboxes share the
/// host's network. A ready daemon also frees its parallelism slot, as a finished pod does.
extension WorkflowEngine {
    /// The address of every pod: steps share the host's network namespace.
    static let podIP = "127.0.0.1"

    /// A daemon pod passed its readiness probe: mark it daemoned and let its dependents go.
    mutating func podReady(nodeID: String) {
        guard var node = status.nodes[nodeID], node.type == .pod, node.phase == .running || node.phase == .pending,
            node.daemoned != true, template(for: node)?.daemon == true
        else { return }
        let previousPhase = node.phase
        node.phase = .running
        node.daemoned = true
        node.podIP = Self.podIP
        put(node)
        daemonNodes.insert(nodeID)
        if previousPhase == .running { releaseParallelismSlot(of: node) }
        timers[nodeID] = nil
        childCompleted(nodeID)
    }

    /// Stops the daemons started inside the Steps/DAG node `scopeID`, or every daemon when nil (the workflow ends):
    /// each node becomes Succeeded and loses its `daemoned` flag, and its pod is killed.
    mutating func stopDaemons(inScope scopeID: String?) {
        guard !daemonNodes.isEmpty else { return }
        for id in daemonNodes.sorted() {
            guard var node = status.nodes[id] else {
                daemonNodes.remove(id)
                continue
            }
            if let scopeID, node.boundaryID != scopeID { continue }
            daemonNodes.remove(id)
            node.daemoned = nil
            node.phase = .succeeded
            node.finishedAt = now
            put(node)
            podsDone += 1
            releaseLocks(of: node)
            if let podName = node.podName { pendingActions.append(.killPod(nodeID: id, podName: podName)) }
        }
    }

    /// The template's readiness probe, for the executor; nil when there is none. Only `exec`, `httpGet` and
    /// `tcpSocket` exist in Kubernetes; a named port cannot be resolved without a Service, so it is an error.
    static func readinessProbe(_ value: JSONValue?, template: String) throws -> ReadinessProbe? {
        guard let value else { return nil }
        guard case .object(let probe) = value else {
            throw EngineError("template '\(template)': readinessProbe must be a mapping")
        }
        func seconds(_ key: String, default fallback: Double) -> Double {
            if case .number(let number)? = probe[key] { return number }
            if case .string(let text)? = probe[key], let number = Double(text) { return number }
            return fallback
        }
        func port(_ check: [String: JSONValue], _ kind: String) throws -> Int {
            if case .number(let number)? = check["port"], number >= 1, number <= 65535 { return Int(number) }
            if case .string(let text)? = check["port"], let number = Int(text), number >= 1, number <= 65535 {
                return number
            }
            throw EngineError(
                "template '\(template)': readinessProbe.\(kind).port must be a port number (1-65535); "
                    + "named ports need a Service, which a local sandbox does not have")
        }
        let check: ReadinessProbe.Check
        if case .object(let exec)? = probe["exec"] {
            guard case .array(let items)? = exec["command"], !items.isEmpty else {
                throw EngineError("template '\(template)': readinessProbe.exec.command must be a non-empty list")
            }
            check = .exec(
                items.map {
                    if case .string(let text) = $0 { return text }
                    if case .number(let number) = $0 {
                        return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
                    }
                    return ""
                })
        } else if case .object(let http)? = probe["httpGet"] {
            var path = "/"
            if case .string(let text)? = http["path"], !text.isEmpty { path = text.hasPrefix("/") ? text : "/" + text }
            check = .httpGet(port: try port(http, "httpGet"), path: path)
        } else if case .object(let tcp)? = probe["tcpSocket"] {
            check = .tcpSocket(port: try port(tcp, "tcpSocket"))
        } else {
            throw EngineError("template '\(template)': readinessProbe needs exec, httpGet or tcpSocket")
        }
        return ReadinessProbe(
            check: check, initialDelaySeconds: max(0, seconds("initialDelaySeconds", default: 0)),
            periodSeconds: max(0.05, seconds("periodSeconds", default: 10)))
    }
}
