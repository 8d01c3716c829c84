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
        guard let slash = text.lastIndex(of: "/"), let pid = Int32(text[text.index(after: slash)...]) else { return nil }
        host = String(text[..<slash])
        self.pid = pid
    }

    /// True when the owner is a process on this host that no longer exists.
    public var isDeadLocalProcess: Bool {
        host == ProcessInfo.processInfo.hostName && kill(pid, 0) != 0 && errno == ESRCH
    }
}
