import Foundation
import SwirlEngine
import SwirlSpec

/// Argo-shaped text output for the CLI: `argo get`, `argo list` and Argo's duration formats.
///
/// Output follows Argo's `cmd/argo/commands/common/get.go` and `util/printer/workflow-printer.go`
/// without colour, except that trailing spaces are trimmed from every line (Go's tabwriter pads
/// empty trailing cells; Argo's documentation shows the trimmed form).
public enum WorkflowPrinter {
    /// `argo get NAME` output: the header (Name, Namespace, ServiceAccount, Status, Message, Conditions,
    /// Created, Started, Finished, Duration, Progress, Parameters, Output Parameters), then a blank line and
    /// the node tree (only when the root node, whose ID is the workflow name, exists).
    ///
    /// - Parameters:
    ///   - now: the reference time for "x ago" and for durations of unfinished nodes.
    ///   - wide: `-o wide`: adds ARTIFACTS (before MESSAGE), RESOURCESDURATION and NODENAME columns.
    ///   - utf8: false for `--no-utf8` (phase words instead of icons, ASCII tree glyphs).
    ///   - statusFilter: `--status`: only nodes whose phase is in the set are printed (their
    ///     descendants still are, as in Argo).
    ///   - timeZone: zone for the `Created:`/`Started:`/`Finished:` times.
    /// - Returns: the text, every line terminated by `\n` (print it with `terminator: ""`).
    ///   - nodeFilter: `--node-field-selector`: only nodes it accepts are printed (descendants still are).
    public static func get(
        _ wf: WorkflowObject, now: Date, wide: Bool = false, utf8: Bool = true,
        statusFilter: Set<String>? = nil, timeZone: TimeZone = .current,
        nodeFilter: (@Sendable (NodeStatus) -> Bool)? = nil
    ) -> String {
        get(
            wf, nodes: NodeList(wf.status.nodes), now: now, wide: wide, utf8: utf8, statusFilter: statusFilter,
            timeZone: timeZone, nodeFilter: nodeFilter)
    }

    /// `argo get NAME` output for a workflow whose nodes come as a list (`wf.status.nodes` is not read): what
    /// `swirl get` uses, since building the dictionary costs time on big workflows. Parameters as above.
    public static func get(
        _ wf: WorkflowObject, nodes: NodeList, now: Date, wide: Bool = false, utf8: Bool = true,
        statusFilter: Set<String>? = nil, timeZone: TimeZone = .current,
        nodeFilter: (@Sendable (NodeStatus) -> Bool)? = nil
    ) -> String {
        String(
            decoding: getBytes(
                wf, nodes: nodes, now: now, wide: wide, utf8: utf8, statusFilter: statusFilter, timeZone: timeZone,
                nodeFilter: nodeFilter),
            as: UTF8.self)
    }

    /// The same text as UTF-8 bytes, for writing straight to a file descriptor: a 100,000-node table is over
    /// 10 MB, and making a `String` of it validates and copies every byte.
    public static func getBytes(
        _ wf: WorkflowObject, nodes: NodeList, now: Date, wide: Bool = false, utf8: Bool = true,
        statusFilter: Set<String>? = nil, timeZone: TimeZone = .current,
        nodeFilter: (@Sendable (NodeStatus) -> Bool)? = nil
    ) -> [UInt8] {
        // Through a buffer pointer, reading two fields in place (an array's subscript copies the whole node).
        let suspended = nodes.nodes.withUnsafeBufferPointer { nodes in
            nodes.indices.contains { nodes[$0].type == .suspend && nodes[$0].phase == .running }
        }
        var header = trimTrailingSpaces(header(wf, suspendedNode: suspended, now: now, utf8: utf8, timeZone: timeZone))
        let name = wf.metadata.name ?? ""
        guard nodes.ids.contains(name) else { return Array(header.utf8) }
        header += "\n"
        var renderer = TreeRenderer(wf: wf, nodes: nodes, now: now, wide: wide, utf8: utf8, statusFilter: statusFilter)
        renderer.nodeFilter = nodeFilter
        return renderer.render(after: Array(header.utf8))  // lines already trimmed by its tab writer
    }

    /// `argo list` output: `NAME STATUS AGE DURATION PRIORITY MESSAGE`, aligned like Go's tabwriter with
    /// padding 3. Rows keep the given order (Argo lists newest first; sorting is the caller's business).
    /// AGE is measured from `metadata.creationTimestamp` (else `status.startedAt`) to `now`.
    public static func list(_ wfs: [WorkflowObject], now: Date) -> String {
        var rows: [[String]] = [["NAME", "STATUS", "AGE", "DURATION", "PRIORITY", "MESSAGE"]]
        for wf in wfs {
            let created = creationDate(wf) ?? wf.status.startedAt
            rows.append([
                wf.metadata.name ?? "",
                statusText(wf),
                Humanize.shortBetween(created, now, now: now),
                Humanize.shortBetween(wf.status.startedAt, wf.status.finishedAt, now: now),
                String(wf.spec.priority ?? 0),
                wf.status.message ?? "",
            ])
        }
        return trimTrailingSpaces(TabWriter(padding: 3).format(rows: rows))
    }

    /// Argo's short duration, one truncated unit: `0s`, `2s`, `59s`, `1m`, `5m`, `1h`, `23h`, `1d`, `12d`.
    public static func shortDuration(_ seconds: TimeInterval) -> String {
        Humanize.short(seconds)
    }

    /// Argo's long duration (the `Duration:` row), up to two units: `0 seconds`, `1 second`, `10 seconds`,
    /// `1 minute 5 seconds`, `2 hours 3 minutes`, `1 day 4 hours`.
    public static func longDuration(_ seconds: TimeInterval) -> String {
        Humanize.long(seconds)
    }

    /// The `Status:` text (Argo's `printer.WorkflowStatus`): the phase, `Running (Suspended)` when
    /// `spec.suspend` is set or a Suspend node is running, `Failed (Terminated)` after a shutdown,
    /// `Pending` for an unknown phase (`Unknown` without a creation time).
    public static func statusText(_ wf: WorkflowObject) -> String {
        statusText(wf, suspendedNode: wf.status.nodes.values.contains { $0.type == .suspend && $0.phase == .running })
    }

    /// The `Status:` text, told whether a Suspend node is running.
    static func statusText(_ wf: WorkflowObject, suspendedNode: Bool) -> String {
        switch wf.status.phase {
        case .running:
            return wf.spec.suspend == true || suspendedNode ? "Running (Suspended)" : "Running"
        case .failed:
            if let shutdown = wf.spec.shutdown, !shutdown.isEmpty { return "Failed (Terminated)" }
            return "Failed"
        case .unknown, .pending:
            return (creationDate(wf) ?? wf.status.startedAt) != nil ? "Pending" : "Unknown"
        case .succeeded, .error:
            return wf.status.phase.rawValue
        }
    }

    // MARK: - header

    static func row(_ label: String, _ value: String) -> String {
        let pad = max(0, 20 - label.unicodeScalars.count)
        return label + String(repeating: " ", count: pad) + " " + value + "\n"
    }

    static func creationDate(_ wf: WorkflowObject) -> Date? {
        wf.metadata.creationTimestamp.flatMap { ArgoTime.parse($0) }
    }

    static func header(_ wf: WorkflowObject, suspendedNode: Bool, now: Date, utf8: Bool, timeZone: TimeZone) -> String {
        var out = row("Name:", wf.metadata.name ?? "")
        out += row("Namespace:", wf.metadata.namespace ?? "")
        var account = wf.spec.serviceAccountName ?? ""
        if account.isEmpty {
            account = wf.spec.workflowTemplateRef != nil ? "unset" : "unset (will run with the default ServiceAccount)"
        }
        out += row("ServiceAccount:", account)
        out += row("Status:", statusText(wf, suspendedNode: suspendedNode))
        if let message = wf.status.message, !message.isEmpty { out += row("Message:", message) }
        if let conditions = wf.status.conditions, !conditions.isEmpty {
            out += row("Conditions:", "")
            for condition in conditions {
                let icon = conditionIcon(condition.type, utf8: utf8)
                let message = condition.message.flatMap { $0.isEmpty ? nil : $0 } ?? condition.status
                out += row("\(icon) \(condition.type)", message)
            }
        }
        if let created = creationDate(wf) ?? wf.status.startedAt {
            out += row("Created:", Humanize.timestamp(created, now: now, timeZone: timeZone))
        }
        if let started = wf.status.startedAt {
            out += row("Started:", Humanize.timestamp(started, now: now, timeZone: timeZone))
        }
        if let finished = wf.status.finishedAt {
            out += row("Finished:", Humanize.timestamp(finished, now: now, timeZone: timeZone))
        }
        if let started = wf.status.startedAt {
            let end = wf.status.finishedAt.map(Humanize.wholeSeconds) ?? now
            out += row("Duration:", Humanize.long(end.timeIntervalSince(Humanize.wholeSeconds(started))))
        }
        out += row("Progress:", wf.status.progress ?? "")
        if let params = wf.spec.arguments?.parameters, !params.isEmpty {
            out += row("Parameters:", "")
            for param in params {
                guard let value = param.value else { continue }
                out += row("  \(param.name):", value.value)
            }
        }
        if let outputs = wf.status.outputs {
            if let params = outputs.parameters, !params.isEmpty {
                out += row("Output Parameters:", "")
                for param in params {
                    guard let value = param.value ?? param.default ?? param.valueFrom?.default else { continue }
                    out += row("  \(param.name):", value.value)
                }
            }
            if let artifacts = outputs.artifacts, !artifacts.isEmpty {
                out += row("Output Artifacts:", "")
                for artifact in artifacts {
                    guard let location = s3Location(artifact.s3) else { continue }
                    out += row("  \(artifact.name):", location)
                }
            }
        }
        return out
    }

    /// `s3://bucket/key` for an S3 artifact location, as Argo prints it.
    static func s3Location(_ value: JSONValue?) -> String? {
        guard let value, let data = try? JSONEncoder().encode(value),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        let bucket = object["bucket"] as? String ?? ""
        let key = object["key"] as? String ?? ""
        let insecure = object["insecure"] as? Bool ?? false
        return "\(insecure ? "http" : "s3")://\(bucket)/\(key)"
    }

    static func conditionIcon(_ type: String, utf8: Bool) -> String {
        switch type {
        case "MetricsError": return utf8 ? "✖" : "Error"
        case "SpecWarning": return utf8 ? "⚠" : "Warning"
        default: return ""
        }
    }

    static func trimTrailingSpaces(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var spaces = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: " ") {
                spaces += 1
                continue
            }
            if byte != UInt8(ascii: "\n") && spaces > 0 {
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: spaces))
            }
            spaces = 0
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
