import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a pod's short-lived files go (see `PodFiles.scratch`): a tmpfs when the host has one at `/dev/shm`, else
/// the pod directory itself.
enum ScratchSpace {
    /// The tmpfs root for scratch directories, or nil when there is none.
    static let root: LocalPath? = {
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8),
            mounts.split(separator: "\n").contains(where: { $0.hasPrefix("tmpfs /dev/shm tmpfs ") }),
            access("/dev/shm", W_OK) == 0
        else { return nil }
        return LocalPath("/dev/shm/swirl")
    }()

    /// The scratch directory of a pod directory: under the tmpfs root, named after the pod directory's path so
    /// that different `SWIRL_HOME`s never collide; `<pod directory>/scratch` without a tmpfs.
    static func directory(for podDirectory: LocalPath) -> LocalPath {
        guard let root else { return podDirectory.appendingPathComponent("scratch") }
        let name =
            String(UInt64(bitPattern: Int64(podDirectory.path.hashValueStable)), radix: 36)
            + "-" + podDirectory.lastPathComponent
        return root.appendingPathComponent(name)
    }

    /// Creates the pod's scratch directory; `fresh` first removes one left from an earlier home at the same path
    /// (the scratch directory outlives a deleted `SWIRL_HOME`), for a pod that has not started yet.
    static func create(_ files: PodFiles, fresh: Bool = false) throws {
        if fresh {
            // Usually nothing is there: one mkdir.
            if try createNew(files) { return }
            FileIO.remove(files.scratch)
        }
        try FileIO.makeDirectory(files.scratch)
    }

    /// Creates the pod's scratch directory if there is none (with its parents); false when one is there already.
    static func createNew(_ files: PodFiles) throws -> Bool {
        try FileIO.makeNewDirectory(files.scratch)
    }

    /// This home's pods that have a scratch directory on the tmpfs root (found by their names: a scratch directory
    /// is named after its pod directory's path); empty without a tmpfs, where scratch directories are inside the
    /// pod directories.
    static func podsWithScratch(in layout: SandboxLayout) -> [String] {
        guard let root, let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        return names.compactMap { name in
            guard let dash = name.firstIndex(of: "-") else { return nil }
            let podName = String(name[name.index(after: dash)...])
            guard (try? ExecutorError.validate(podName, kind: "pod")) != nil,
                directory(for: layout.podPath(podName)).lastPathComponent == name
            else { return nil }
            return podName
        }
    }

    /// Creates what the sandbox script expects in a new scratch directory: the overlay's upper and work
    /// directories, the mount point of the step's root, its `/tmp` (mode 1777) and the status directory (with
    /// `outputs` in it when the step has output parameters to copy); a step creates as few inodes as it can.
    static func makeSkeleton(_ files: PodFiles, outputs: Bool) throws {
        // Parents first: one mkdir each.
        for directory in [
            files.layer, files.layer.appendingPathComponent("upper"), files.layer.appendingPathComponent("work"),
            files.merged, files.tmp, files.status,
        ] {
            try FileIO.makeDirectory(directory)
        }
        if outputs { try FileIO.makeDirectory(files.outputs) }
        chmod(files.tmp.path, 0o1777)
    }

    /// Set `SWIRL_KEEP_SCRATCH=1` to keep every pod's scratch directory after it finishes (to read a step's
    /// sandbox script and status files; the benchmarks build their baseline from one).
    static let keep = ProcessInfo.processInfo.environment["SWIRL_KEEP_SCRATCH"] == "1"

    /// Removes the pod's scratch directory and everything in it (unless `keep`, and `evenIfKept` is false).
    ///
    /// The usual tree goes by name first, deepest first, with one `unlink` or `rmdir` each: walking it cost about
    /// forty system calls per pod (a failed `unlink` and `rmdir`, `lstat`, `opendir` and two `getdents` per
    /// directory), and this runs once per step. Whatever else a step left (files in its layer or `/tmp`) makes a
    /// `rmdir` fail, and the walk below removes it.
    static func remove(_ files: PodFiles, evenIfKept: Bool = false) {
        if keep && !evenIfKept { return }
        for file in [
            files.directRequest, files.supervisorLog, files.sandboxPGID, files.sandboxScript, files.statusExit,
            files.statusStarted, files.statusError, files.scriptFile,
        ] {
            unlink(file.path)
        }
        let layer = files.layer
        let work = layer.appendingPathComponent("work", isDirectory: true)
        for directory in [
            layer.appendingPathComponent("upper", isDirectory: true), work.appendingPathComponent("work"), work, layer,
            files.merged, files.tmp, files.outputs, files.status, files.scriptDirectory,
        ] {
            rmdir(directory.path)
        }
        if rmdir(files.scratch.path) == 0 || errno == ENOENT { return }
        FileIO.remove(files.scratch)
    }
}

extension String {
    /// FNV-1a of the UTF-8 bytes: stable across processes (Swift's `hashValue` is seeded per process).
    var hashValueStable: Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(bitPattern: UInt(truncatingIfNeeded: hash))
    }
}
