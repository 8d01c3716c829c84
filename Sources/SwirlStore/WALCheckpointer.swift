import Foundation
import GRDBSQLite
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
/// beginning, so the WAL stays a few megabytes, rewritten in place.
///
/// Commits without pause (the `noop` executor, many steps finishing at once) never leave that moment: the next
/// commit always lands before a checkpoint has caught up, the WAL never starts over, and it grew to 64 MB and more
/// (half a second to empty at exit). So once the WAL holds `restartThreshold` frames, the thread runs a `RESTART`
/// checkpoint instead: it waits for no writer (with none busy it takes the writer lock just long enough to copy the
/// last frames; with one busy it copies what it can, like `PASSIVE`) and lets the next commit start the WAL over.
/// Past `inlineThreshold` frames (a thread that cannot keep up) the committing connection runs that `RESTART`
/// itself.
final class WALCheckpointer: Sendable {
    /// Frames (pages of 4 KB) in the WAL that wake the thread.
    let frameThreshold: Int32
    /// Frames past which the thread's checkpoint also makes the WAL start over (`RESTART`).
    let restartThreshold: Int32
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
        /// The pending checkpoint is to make the WAL start over.
        var restart = false
    }

    init(path: String, frameThreshold: Int32 = 512, restartThreshold: Int32 = 2048, inlineThreshold: Int32 = 16384) {
        self.path = path
        self.frameThreshold = frameThreshold
        self.restartThreshold = restartThreshold
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
            sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_RESTART, nil, nil)
            return
        }
        guard frames >= frameThreshold else { return }
        let (signal, start) = state.withLock { state -> (Bool, Bool) in
            guard !state.busy, !state.stopped else { return (false, false) }
            state.busy = true
            state.restart = frames >= restartThreshold
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
            // Named from inside, in 15 bytes at most, through /proc (see SwirlExecutor's `Thread.nameCurrent`).
            #if canImport(Glibc)
                let comm = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
                if comm >= 0 {
                    _ = write(comm, "swirl-wal-ckpt", 14)
                    close(comm)
                }
            #endif
            Thread.current.name = "swirl-wal-ckpt"
            var connection: OpaquePointer?
            if sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) != SQLITE_OK {
                sqlite3_close(connection)
                connection = nil
            }
            // The same durability as the writers': the WAL is synced before its pages are copied back.
            if let connection { sqlite3_exec(connection, "PRAGMA synchronous = NORMAL", nil, nil, nil) }
            while true {
                wake.wait()
                let (stopped, restart) = state.withLock { ($0.stopped, $0.restart) }
                if let connection, !stopped {
                    // This connection has no busy handler: a `RESTART` that finds a writer busy does not wait.
                    let mode = restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE
                    sqlite3_wal_checkpoint_v2(connection, nil, mode, nil, nil)
                }
                state.withLock { $0.busy = false }
            }
        }
        thread.start()
    }
}
