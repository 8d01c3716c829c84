import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Directories for directly launched pods, made ahead of time by the sweeper's idle-priority thread: a new pod's
/// start then renames a spare into place (one system call each) instead of making its pod directory on the disk
/// (a quarter of a millisecond on ext4 when inodes were freed recently) and seven directories and a file in its
/// scratch space, on the path from one step's end to the next one's start and out of CPU time the steps want.
///
/// A spare is `.spare-<pid>-<serial>`: in the pods directory, an empty directory; on the scratch tmpfs, what
/// `ScratchSpace.makeSkeleton` makes plus the direct-launch mark. The process removes its spares as it exits;
/// `removeOrphans` removes those of a process that was killed.
final class SpareScratch: Sendable {
    /// One kind of spare: where they are made, how, and those ready.
    private struct Pool {
        let root: LocalPath
        var ready: [LocalPath] = []
    }

    private struct State {
        var scratch: Pool?
        var podDirectories: Pool?
        var serial = 0
    }

    static let prefix = ".spare-"
    /// How many spares of each kind to keep: enough for the starts between two turns of the idle thread.
    let target: Int
    private let state: Mutex<State>

    /// Spare scratch skeletons under `scratchRoot` (the scratch tmpfs; without one, a scratch directory lives in
    /// its pod directory and cannot be made before the pod is known) and spare pod directories in `podsRoot`; nil
    /// when neither is given.
    init?(scratchRoot: LocalPath? = ScratchSpace.root, podsRoot: LocalPath?, target: Int = 4) {
        guard scratchRoot != nil || podsRoot != nil else { return nil }
        state = Mutex(
            State(scratch: scratchRoot.map { Pool(root: $0) }, podDirectories: podsRoot.map { Pool(root: $0) }))
        self.target = target
    }

    /// Renames a spare scratch skeleton to `scratch`; false when none is ready or the rename failed (a directory
    /// is already there).
    func takeScratch(as scratch: LocalPath) -> Bool {
        take(state.withLock { $0.scratch?.ready.popLast() }, as: scratch)
    }

    /// Renames a spare pod directory to `directory`; false when none is ready or the rename failed (a directory
    /// with something in it is already there: an empty one is replaced, which changes nothing).
    func takePodDirectory(as directory: LocalPath) -> Bool {
        take(state.withLock { $0.podDirectories?.ready.popLast() }, as: directory)
    }

    private func take(_ spare: LocalPath?, as target: LocalPath) -> Bool {
        guard let spare else { return false }
        if rename(spare.path, target.path) == 0 { return true }
        FileIO.remove(spare)
        return false
    }

    /// Spare scratch skeletons and pod directories ready now (for tests).
    var readyCount: (scratch: Int, podDirectories: Int) {
        state.withLock { ($0.scratch?.ready.count ?? 0, $0.podDirectories?.ready.count ?? 0) }
    }

    /// Makes spares until `target` of each kind are ready (on the sweeper's thread).
    func refill() {
        refill(\.scratch) { spare in
            try FileIO.makeDirectory(spare)
            let files = PodFiles(scratchOnly: spare)
            try ScratchSpace.makeSkeleton(files, outputs: false)
            try FileIO.write(Data(), to: files.directLaunch)
        }
        refill(\.podDirectories) { try FileIO.makeDirectory($0) }
    }

    private func refill(_ pool: WritableKeyPath<State, Pool?>, make: (LocalPath) throws -> Void) {
        while true {
            let name: LocalPath? = state.withLock { state in
                guard let spares = state[keyPath: pool], spares.ready.count < target else { return nil }
                state.serial += 1
                return spares.root.appendingPathComponent("\(Self.prefix)\(getpid())-\(state.serial)")
            }
            guard let name else { return }
            do {
                try make(name)
            } catch {
                FileIO.remove(name)
                return
            }
            state.withLock { $0[keyPath: pool]?.ready.append(name) }
        }
    }

    /// Removes every spare this process made.
    func removeAll() {
        let all = state.withLock { state in
            defer {
                state.scratch?.ready.removeAll()
                state.podDirectories?.ready.removeAll()
            }
            return (state.scratch?.ready ?? []) + (state.podDirectories?.ready ?? [])
        }
        all.forEach(FileIO.remove)
    }

    /// Removes the spares under `root` of processes that no longer run (killed before they could remove their own).
    static func removeOrphans(in root: LocalPath?) {
        guard let root, let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count).prefix { $0 != "-" }) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { FileIO.remove(root.appendingPathComponent(name)) }
        }
    }
}
