import Foundation
import SwirlRender
import SwirlStore
import Synchronization

/// Redraws `swirl get`'s output when it changes (clearing the terminal when stdout is one).
final class WatchScreen: Sendable {
    private let last = Mutex("")

    func show(_ stored: StoredWorkflow) {
        let text = WorkflowPrinter.get(stored.object, now: Date())
        let changed = last.withLock { previous -> Bool in
            if previous == text { return false }
            previous = text
            return true
        }
        guard changed else { return }
        FileHandle.standardOutput.write(Data((isatty(1) != 0 ? "\u{1B}[H\u{1B}[2J" + text : text).utf8))
    }
}
