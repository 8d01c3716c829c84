import Foundation
import SwirlEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Small file helpers with the atomicity the executor relies on (readers never see half-written files).
///
/// Nothing here calls `fsync`: the files guard against a *process* dying (a killed controller, supervisor or
/// step), whose writes the page cache keeps, not against the machine losing power, which also ends every step.
/// Foundation's `Data.write(to:)` syncs each file, which cost about a millisecond per file and several per step.
enum FileIO {
    /// Creates or truncates `url` and writes `data` to it (no `fsync`, see above).
    static func write(_ data: Data, to url: LocalPath) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExecutorError.system(call: "open", path: url.path, errno: errno) }
        defer { close(fd) }
        try writeAll(data, to: fd, path: url.path)
    }

    /// Creates or truncates `url` and writes `bytes` to it (no `fsync`).
    static func write(_ bytes: [UInt8], to url: LocalPath) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExecutorError.system(call: "open", path: url.path, errno: errno) }
        defer { close(fd) }
        try bytes.withUnsafeBytes { try writeAll($0, to: fd, path: url.path) }
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { try writeAll($0, to: fd, path: path) }
    }

    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ExecutorError.system(call: "write", path: path, errno: errno)
            }
            offset += written
        }
    }

    /// Writes `data` to a temporary sibling and renames it over `url`.
    static func writeAtomically(_ data: Data, to url: LocalPath) throws {
        let tmp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        try write(data, to: tmp)
        if rename(tmp.path, url.path) != 0 {
            let code = errno
            unlink(tmp.path)
            throw ExecutorError.system(call: "rename", path: url.path, errno: code)
        }
    }

    /// Writes `data` to `url` only if nothing exists there yet (`O_EXCL`: one new inode, no temporary file).
    /// - Returns: false when `url` already existed.
    static func createExclusively(_ data: Data, at url: LocalPath) throws -> Bool {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw ExecutorError.system(call: "open", path: url.path, errno: errno)
        }
        defer { close(fd) }
        try writeAll(data, to: fd, path: url.path)
        return true
    }

    /// Creates `url` and its parents (`mkdir -p`: one `mkdir` call when the parent exists).
    static func makeDirectory(_ url: LocalPath) throws {
        if mkdir(url.path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT, url.path != "/" else {
            throw ExecutorError.system(call: "mkdir", path: url.path, errno: errno)
        }
        try makeDirectory(url.deletingLastPathComponent())
        if mkdir(url.path, 0o755) != 0 && errno != EEXIST {
            throw ExecutorError.system(call: "mkdir", path: url.path, errno: errno)
        }
    }

    /// Creates the directory `url` (and its parents) and tells whether this call made it: false when it was
    /// there already.
    static func makeNewDirectory(_ url: LocalPath) throws -> Bool {
        if mkdir(url.path, 0o755) == 0 { return true }
        if errno == EEXIST { return false }
        guard errno == ENOENT else { throw ExecutorError.system(call: "mkdir", path: url.path, errno: errno) }
        try makeDirectory(url.deletingLastPathComponent())
        if mkdir(url.path, 0o755) == 0 { return true }
        if errno == EEXIST { return false }
        throw ExecutorError.system(call: "mkdir", path: url.path, errno: errno)
    }

    static func exists(_ url: LocalPath) -> Bool {
        access(url.path, F_OK) == 0
    }

    /// Reads at most `limit` bytes from the start of a file (a buffer of the file's size, not of `limit`).
    static func readPrefix(of url: LocalPath, limit: Int) throws -> Data {
        guard let data = read(url, limit: limit) else {
            throw ExecutorError.system(call: "open", path: url.path, errno: errno)
        }
        return data
    }

    /// Reads at most `limit` bytes from the start of a file; nil when it cannot be opened or read. A missing file
    /// costs one failed `open`, with no error object built.
    ///
    /// Opened with `O_NOATIME` where allowed: the first read of a file written since it was last read (a step's
    /// log, its status files) otherwise dirties the inode to update its access time, which on ext4 is a journal
    /// update per file read.
    static func read(_ url: LocalPath, limit: Int = .max) -> Data? {
        let fd = openForReading(url.path)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = max(Int(info.st_size), 0)
        // An empty regular file (a step that printed nothing) needs no read.
        if size == 0 && (info.st_mode & S_IFMT) == S_IFREG { return Data() }
        var capacity = min(limit, size)
        var data = Data()
        while data.count < limit {
            // Files can grow while read (a live log): keep reading until end of file or `limit`.
            capacity = max(min(limit - data.count, max(capacity, 4096)), 1)
            var chunk = Data(count: capacity)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, capacity) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            data.append(chunk.prefix(count))
            // A short read of a regular file is its end as of now: reading again would only return 0.
            if count < capacity && (info.st_mode & S_IFMT) == S_IFREG { break }
        }
        return data
    }

    /// `O_NOATIME` (Linux; glibc declares it only under `_GNU_SOURCE`). Refused with `EPERM` for a file another
    /// user owns, unless the caller may change its owner's files: then opened without it.
    private static let noAccessTime: Int32 = 0o1_000_000

    private static func openForReading(_ path: String) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | noAccessTime)
        if fd < 0 && errno == EPERM { return open(path, O_RDONLY | O_CLOEXEC) }
        return fd
    }

    /// A small text file's content without surrounding ASCII white space, or nil when it cannot be read. (The files
    /// read this way hold numbers and messages the executor wrote; Foundation's Unicode-aware trimming cost more
    /// than reading the file.)
    static func readTrimmed(_ url: LocalPath) -> String? {
        read(url, limit: 64 * 1024).map { data in
            data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
                var start = 0
                var end = bytes.count
                while start < end && isSpace(bytes[start]) { start += 1 }
                while end > start && isSpace(bytes[end - 1]) { end -= 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
        }
    }

    /// Removes a tree, ignoring a missing one. Plain `unlink`/`rmdir` calls: a missing path costs one system
    /// call, where `FileManager.removeItem` builds an error for it. Never descends into another filesystem (a
    /// mount left on a step's root must not take the host's files with it).
    static func remove(_ url: LocalPath) {
        removeTree(url.path, device: nil)
    }

    private static func removeTree(_ path: String, device: dev_t?) {
        if unlink(path) == 0 { return }
        guard errno == EISDIR || errno == EPERM else { return }
        if rmdir(path) == 0 || errno == ENOENT { return }
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return }
        if let device, info.st_dev != device { return }
        guard let dir = opendir(path) else { return }
        var children: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { children.append(name) }
        }
        closedir(dir)
        for child in children { removeTree(path + "/" + child, device: info.st_dev) }
        rmdir(path)
    }

    // URL forms, for callers outside the per-step paths.
    static func write(_ data: Data, to url: URL) throws { try write(data, to: LocalPath(url)) }
    static func writeAtomically(_ data: Data, to url: URL) throws { try writeAtomically(data, to: LocalPath(url)) }
    static func makeDirectory(_ url: URL) throws { try makeDirectory(LocalPath(url)) }
    static func exists(_ url: URL) -> Bool { exists(LocalPath(url)) }
    static func remove(_ url: URL) { remove(LocalPath(url)) }
    static func read(_ url: URL, limit: Int = .max) -> Data? { read(LocalPath(url), limit: limit) }

    /// A file's modification time with sub-second precision, or nil when it does not exist.
    static func modificationDate(_ url: LocalPath) -> Date? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }
}

/// The one JSON shape of `request.json` and `result.json` (dates as fractional seconds since 1970, so step times
/// keep sub-millisecond precision).
enum PodJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    static func readResult(_ url: LocalPath) -> PodResult? {
        guard let data = FileIO.read(url) else { return nil }
        return try? decoder().decode(PodResult.self, from: data)
    }
}

/// A close-on-exec pipe (`pipe2` is hidden from Swift without `_GNU_SOURCE`).
enum Pipe {
    /// Returns (read end, write end), or nil if the system is out of descriptors.
    static func make(nonBlocking: Bool = false) -> (Int32, Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        return (fds[0], fds[1])
    }
}
