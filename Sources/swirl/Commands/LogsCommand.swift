import ArgumentParser
import Foundation
import SwirlEngine
import SwirlStore

/// `swirl logs NAME [POD]`: the pods' output, each line prefixed with its pod name like argo.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print the logs of a workflow.")

    @Argument(help: "Workflow name.") var name: String
    @Argument(help: "Only this pod.") var pod: String?
    @Flag(name: [.short, .long], help: "Follow the logs until the workflow finishes.") var follow = false
    @Flag(name: .long, help: "Print the lines without the pod name prefix.") var noPrefix = false

    func run() async throws {
        let context = try CLIContext()
        var offsets: [String: UInt64] = [:]
        var pending = Data()
        while true {
            let stored = try context.workflow(named: name)
            let pods = stored.status.nodes.values
                .filter { $0.type == .pod && $0.podName != nil && (pod == nil || $0.podName == pod) }
                .sorted { ($0.startedAt ?? .distantPast, $0.name) < ($1.startedAt ?? .distantPast, $1.name) }
            if let pod, pods.isEmpty, !follow { throw CLIError("pod '\(pod)' not found in workflow '\(name)'") }
            for node in pods {
                guard let podName = node.podName else { continue }
                let path = context.layout.existingStdoutLog(podName).path
                guard let handle = FileHandle(forReadingAtPath: path) else { continue }
                defer { try? handle.close() }
                try handle.seek(toOffset: offsets[podName] ?? 0)
                let data = handle.readDataToEndOfFile()
                guard !data.isEmpty else { continue }
                // Only whole lines; keep a partial last line for the next round when following.
                pending = data
                var text = String(decoding: pending, as: UTF8.self)
                var consumed = data.count
                if follow && !stored.status.phase.isCompleted && !text.hasSuffix("\n") {
                    if let cut = text.lastIndex(of: "\n") {
                        consumed = text.utf8.distance(from: text.startIndex, to: text.index(after: cut))
                        text = String(text[...cut])
                    } else {
                        continue
                    }
                }
                offsets[podName] = (offsets[podName] ?? 0) + UInt64(consumed)
                for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
                    text.hasSuffix("\n") ? 1 : 0)
                {
                    print(noPrefix ? String(line) : "\(podName): \(line)")
                }
            }
            if !follow || stored.status.phase.isCompleted { break }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
