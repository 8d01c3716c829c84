import Foundation

/// Identifies a controller process in the store's leases: `host/pid`, so a dead local owner is recognised at once.
public struct LeaseOwner: Sendable, Hashable {
    public var host: String
    public var pid: Int32

    public static var current: LeaseOwner {
        LeaseOwner(host: ProcessInfo.processInfo.hostName, pid: getpid())
    }

    public var text: String { "\(host)/\(pid)" }

    public init(host: String, pid: Int32) {
        self.host = host
        self.pid = pid
    }

    public init?(text: String) {
        guard let slash = text.lastIndex(of: "/"), let pid = Int32(text[text.index(after: slash)...]) else {
            return nil
        }
        host = String(text[..<slash])
        self.pid = pid
    }

    /// True when the owner is a process on this host that no longer exists, or is a zombie (killed, not yet
    /// reaped: where nothing reaps orphans, a killed controller stays one).
    public var isDeadLocalProcess: Bool {
        guard host == ProcessInfo.processInfo.hostName else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
