import Foundation
import GRDBSQLite
import Synchronization

/// Copies the WAL back into the database file on a thread of its own, so that no commit waits for it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the committing thread: with
/// `synchronous = NORMAL` it syncs the WAL and then the database, and the WAL's pages were all still dirty in the page
/// cache. Done once at the end (a command empties the WAL as it exits, see `SQLiteStore.truncateWAL`), that was
/// 115 ms after a 1,000-step workflow (20 MB of WAL); done by SQLite every 64 MB, a pause of the controller.
///
/// Here each commit's WAL hook (`sqlite3_wal_hook`, called with the number of frames in the WAL) wakes this thread
/// once `frameThreshold` frames have piled up, and it runs a `PASSIVE` checkpoint on its own connection: that
/// takes no lock a writer needs, so commits go on meanwhile. When it has copied everything before the next commit
/// (a controller commits once per finished step, milliseconds apart), that commit starts the WAL over from its
/// beginning, so the WAL stays a few megabytes, rewritten in place. Past `inlineThreshold` frames (commits without
/// pause, or a thread that cannot keep up) the committing connection checkpoints itself, as SQLite's own hook would.
final class WALCheckpointer: Sendable {
    /// Frames (pages of 4 KB) in the WAL that wake the thread.
    let frameThreshold: Int32
    /// Frames past which the committing connection checkpoints itself.
    let inlineThreshold: Int32
    private let path: String
    private let wake = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    private struct State {
        var threadStarted = false
        /// A wake-up is pending or a checkpoint running.
        var busy = false
        var stopped = false
    }

    init(path: String, frameThreshold: Int32 = 512, inlineThreshold: Int32 = 16384) {
        self.path = path
        self.frameThreshold = frameThreshold
        self.inlineThreshold = inlineThreshold
    }

    /// Installs the WAL hook on a connection (replacing SQLite's automatic checkpoint, which is the same hook).
    func install(on connection: OpaquePointer) {
        sqlite3_wal_hook(
            connection,
            { context, connection, _, frames in
                guard let context, let connection else { return SQLITE_OK }
                let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
                checkpointer.committed(frames: frames, connection: connection)
                return SQLITE_OK
            },
            // Retained by the connection (a store's connections live until the process exits; this is small).
            Unmanaged.passRetained(self).toOpaque())
    }

    private func committed(frames: Int32, connection: OpaquePointer) {
        if frames >= inlineThreshold {
            sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            return
        }
        guard frames >= frameThreshold else { return }
        let (signal, start) = state.withLock { state -> (Bool, Bool) in
            guard !state.busy, !state.stopped else { return (false, false) }
            state.busy = true
            defer { state.threadStarted = true }
            return (true, !state.threadStarted)
        }
        if start { startThread() }
        if signal { wake.signal() }
    }

    /// Waits for a checkpoint in progress and runs no more (before the process empties the WAL itself and exits).
    func stop() {
        while true {
            let idle = state.withLock { state in
                state.stopped = true
                return !state.busy
            }
            if idle { return }
            usleep(500)
        }
    }

    private func startThread() {
        let thread = Thread { [self] in
            var connection: OpaquePointer?
            if sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) != SQLITE_OK {
                sqlite3_close(connection)
                connection = nil
            }
            // The same durability as the writers': the WAL is synced before its pages are copied back.
            if let connection { sqlite3_exec(connection, "PRAGMA synchronous = NORMAL", nil, nil, nil) }
            while true {
                wake.wait()
                if let connection, !state.withLock({ $0.stopped }) {
                    sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                }
                state.withLock { $0.busy = false }
            }
        }
        thread.name = "swirl-checkpoint"
        thread.start()
    }
}
