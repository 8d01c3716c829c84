import ArgumentParser
import Foundation
import SwirlController
import SwirlEngine
import SwirlExecutor
import SwirlStore

/// Waits for workflows to finish: runs an embedded controller for them unless a background controller is alive,
/// in which case it waits for that controller's "finished" markers. No polling of the store for completion.
enum WorkflowWaiter {
    /// Waits for `names` and returns each finished workflow with its nodes and templates.
    static func wait(
        for names: [String], context: CLIContext, onUpdate: (@Sendable (StoredWorkflow) -> Void)? = nil
    ) async throws -> [StoredWorkflow] {
        let display: Task<Void, Never>? = onUpdate.map { onUpdate in
            Task {
                while !Task.isCancelled {
                    for name in names { if let stored = try? context.store.workflow(named: name) { onUpdate(stored) } }
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
        }
        defer { display?.cancel() }
        try await waitUntilFinished(names, context: context)
        let finished = try names.map { name -> StoredWorkflow in
            guard let stored = try context.store.workflow(named: name) else {
                throw CLIError("workflow '\(name)' not found")
            }
            return stored
        }
        if let onUpdate { for stored in finished { onUpdate(stored) } }
        return finished
    }

    /// Returns once every workflow of `names` has finished.
    static func waitUntilFinished(_ names: [String], context: CLIContext) async throws {
        // Until all have finished: wait on the background controller while one lives, else run them here. A
        // controller killed a moment ago can still hold its lock when this looks, so waiting also ends when the
        // controller goes, and the loop then takes over.
        while try !allFinished(names, context: context) {
            if BackgroundController.isAlive(context.home) {
                try await waitForMarkers(names, context: context)
            } else {
                let controller = context.makeController(scope: .only(Set(names)))
                try await controller.run(exitWhenIdle: true)
                // Another controller may hold some of them: wait for its markers (or for it to go).
                if try !allFinished(names, context: context) { try await waitForMarkers(names, context: context) }
            }
        }
    }

    static func allFinished(_ names: [String], context: CLIContext) throws -> Bool {
        let unfinished = Set(try context.store.unfinishedLeases().map(\.name))
        return !names.contains { unfinished.contains($0) }
    }

    /// Waits until every workflow has finished, woken by the controllers' markers.
    static func waitForMarkers(_ names: [String], context: CLIContext) async throws {
        let watcher = try CompletionWatcher(directory: context.home.finishedDirectory)
        defer { watcher.stop() }
        // No marker comes from a controller that died: stop waiting once none lives (the caller then runs one).
        let home = context.home
        let liveness = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                if !BackgroundController.isAlive(home) {
                    watcher.stop()
                    return
                }
            }
        }
        defer { liveness.cancel() }
        context.home.poke("wait")
        if try allFinished(names, context: context) { return }
        // Count markers instead of querying the store on each one (O(n) for `wait` of n workflows, not O(n²));
        // the store has the last word, since a retried workflow's old marker may still be there.
        var remaining = Set(names)
        for await name in watcher.podNames where remaining.contains(name) {
            remaining.remove(name)
            if remaining.isEmpty {
                if try allFinished(names, context: context) { return }
                remaining = Set(try context.store.unfinishedLeases().map(\.name)).intersection(names)
            }
        }
    }

    /// Argo's one-line result: `NAME Succeeded at 2024-01-02 10:00:00 +0000 UTC`.
    /// Prints each finished workflow's outcome line (`lines: false`: none), read from the workflow rows alone;
    /// fails unless every one succeeded.
    static func printOutcomes(_ names: [String], context: CLIContext, lines: Bool = true) throws {
        let outcomes = try context.store.outcomes(named: names)
        let finished = try names.map { name in
            guard let outcome = outcomes[name] else { throw CLIError("workflow '\(name)' not found") }
            return outcome
        }
        if lines {
            for outcome in finished { print(summary(outcome)) }
        }
        if finished.contains(where: { $0.phase != .succeeded }) { throw ExitCode(1) }
    }

    static func summary(_ stored: StoredWorkflow) -> String {
        summary(WorkflowOutcome(name: stored.name, phase: stored.status.phase, finishedAt: stored.status.finishedAt))
    }

    static func summary(_ outcome: WorkflowOutcome) -> String {
        // ArgoTime's `2024-01-02T10:00:00Z` rearranged: a DateFormatter per line cost more than the rest of `wait`.
        let at = outcome.finishedAt.map {
            ArgoTime.format($0).replacingOccurrences(of: "T", with: " ").replacingOccurrences(
                of: "Z", with: " +0000 UTC")
        }
        return "\(outcome.name) \(outcome.phase.rawValue) at \(at ?? "")"
    }
}
