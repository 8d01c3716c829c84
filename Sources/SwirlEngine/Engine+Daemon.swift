import Foundation
import SwirlSpec

/// Daemon steps (`daemon: true`): a pod that keeps running in the background while the workflow goes on.
///
/// As in Argo, a daemon's dependents start once its pod is ready (its readiness probe passes, or at once without
/// one), and the pod is stopped when the steps or DAG template that started it ends (or the workflow does). Its node
/// is then Succeeded whatever the pod's exit status (Argo ignores a daemon's exit code too).
///
/// Differences from Argo, both for a single machine: a ready daemon's node completes (Succeeded, `daemoned: true`)
/// as soon as it is ready, where Argo keeps it Running until its scope ends; and `{{steps.NAME.ip}}` is 127.0.0.1,
/// because sandboxes share the host's network.
extension WorkflowEngine {
    /// The address of every pod: steps share the host's network namespace.
    static let podIP = "127.0.0.1"

    /// A daemon pod passed its readiness probe: mark it daemoned and let its dependents go.
    mutating func podReady(nodeID: String) {
        guard var node = status.nodes[nodeID], node.type == .pod, node.phase == .running || node.phase == .pending,
            template(for: node)?.daemon == true
        else { return }
        node.daemoned = true
        node.podIP = Self.podIP
        put(node)
        daemonNodes.insert(nodeID)
        complete(nodeID, phase: .succeeded)
    }

    /// Stops the daemons started inside the Steps/DAG node `scopeID`, or every daemon when nil (the workflow ends).
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
            put(node)
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
