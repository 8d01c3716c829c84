import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a pod's short-lived directories go (copy-on-write layer, root mount point, `/tmp`): a tmpfs when the host
/// has one at `/dev/shm`, else the pod directory itself. The pod directory keeps a `scratch` link to it.
enum ScratchSpace {
    /// The tmpfs root for scratch directories, or nil when there is none.
    static let root: URL? = {
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8),
            mounts.split(separator: "\n").contains(where: { $0.hasPrefix("tmpfs /dev/shm tmpfs ") }),
            access("/dev/shm", W_OK) == 0
        else { return nil }
        return URL(fileURLWithPath: "/dev/shm/swirl", isDirectory: true)
    }()

    /// Creates the pod's scratch directory and the `scratch` link to it (or a plain directory without a tmpfs).
    static func link(_ files: PodFiles) throws {
        if FileIO.exists(files.scratch) { return }
        guard let root else {
            try FileIO.makeDirectory(files.scratch)
            return
        }
        // One directory per pod directory, named after its path so that different SWIRL_HOMEs never collide.
        let name =
            String(UInt64(bitPattern: Int64(files.directory.path.hashValueStable)), radix: 36)
            + "-" + files.directory.lastPathComponent
        let target = root.appendingPathComponent(name, isDirectory: true)
        try FileIO.makeDirectory(target)
        try FileManager.default.createSymbolicLink(at: files.scratch, withDestinationURL: target)
    }

    /// Removes the scratch directory's contents (and the tmpfs directory); the link stays, dangling.
    static func remove(_ files: PodFiles) {
        let target = files.scratch.resolvingSymlinksInPath()
        FileIO.remove(files.layer)
        FileIO.remove(files.merged)
        FileIO.remove(files.tmp)
        if target.path != files.scratch.path { FileIO.remove(target) }
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
