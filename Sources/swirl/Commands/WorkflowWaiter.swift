import Foundation
import SwirlController
import SwirlEngine
import SwirlStore

/// Waits for workflows to finish: runs an embedded controller for them unless a background controller is alive.
enum WorkflowWaiter {
    static func wait(
        for names: [String], context: CLIContext, interval: Duration = .milliseconds(50),
        onUpdate: (StoredWorkflow) -> Void = { _ in }
    ) async throws -> [StoredWorkflow] {
        var embedded: Task<Void, Error>?
        if !BackgroundController.isAlive(context.home) {
            let controller = context.makeController(scope: .only(Set(names)))
            embedded = Task { try await controller.run(exitWhenIdle: true) }
        } else {
            context.home.poke("wait")
        }
        defer { embedded?.cancel() }
        var done: [String: StoredWorkflow] = [:]
        while done.count < names.count {
            for name in names where done[name] == nil {
                guard let stored = try context.store.workflow(named: name) else {
                    throw CLIError("workflow '\(name)' not found")
                }
                onUpdate(stored)
                if stored.status.phase.isCompleted { done[name] = stored }
            }
            if done.count < names.count { try await Task.sleep(for: interval) }
        }
        if let embedded {
            embedded.cancel()
            _ = await embedded.result
        }
        return names.compactMap { done[$0] }
    }

    /// Argo's one-line result: `NAME Succeeded at 2024-01-02 10:00:00 +0000 UTC`.
    static func summary(_ stored: StoredWorkflow) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z 'UTC'"
        let at = stored.status.finishedAt.map { formatter.string(from: $0) } ?? ""
        return "\(stored.name) \(stored.status.phase.rawValue) at \(at)"
    }
}
