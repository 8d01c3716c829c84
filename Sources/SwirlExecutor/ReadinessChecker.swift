import Foundation
import SwirlEngine
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a daemon pod's readiness probe on a thread of its supervisor and creates the pod's readiness marker once it
/// passes (at once when there is no probe, as Kubernetes counts a container without one ready when it runs).
///
/// Steps share the host's network, so `httpGet` and `tcpSocket` probe 127.0.0.1. The period is capped at one second:
/// a local probe is cheap, and a dependent step should not wait Kubernetes' default ten. `exec` probes would have to
/// run inside the step's private mount namespace, which the supervisor cannot enter: such a daemon counts as ready
/// when it runs, as without a probe.
final class ReadinessChecker: Sendable {
    let probe: ReadinessProbe?
    private let cancelled = Mutex(false)

    init(probe: ReadinessProbe?) { self.probe = probe }

    /// Starts probing; `marker` is created once the probe passes, unless `cancel()` came first.
    func start(marker: LocalPath) {
        let thread = Thread { [self] in
            if let probe {
                if !sleep(probe.initialDelaySeconds) { return }
                while !isCancelled && !Self.passes(probe.check) {
                    if !sleep(min(probe.periodSeconds, 1)) { return }
                }
            }
            if !isCancelled { try? FileIO.writeAtomically(Data(), to: marker) }
        }
        thread.name = "swirl-readiness"
        thread.start()
    }

    /// Stops probing (the step ended).
    func cancel() { cancelled.withLock { $0 = true } }

    private var isCancelled: Bool { cancelled.withLock { $0 } }

    /// Sleeps in short slices; false when cancelled meanwhile.
    private func sleep(_ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if isCancelled { return false }
            usleep(UInt32(max(1_000, min(50_000, deadline.timeIntervalSinceNow * 1e6))))
        }
        return !isCancelled
    }

    /// One probe attempt.
    static func passes(_ check: ReadinessProbe.Check) -> Bool {
        switch check {
        case .exec: return true
        case .tcpSocket(let port):
            guard let fd = connect(port: port) else { return false }
            close(fd)
            return true
        case .httpGet(let port, let path):
            guard let fd = connect(port: port) else { return false }
            defer { close(fd) }
            let request = Array(
                "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: swirl-probe\r\n\r\n".utf8)
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count
            else { return false }
            var reply: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            while reply.count < 64 {
                guard !Poll.readable([fd], timeout: 1).isEmpty else { return false }
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                reply += buffer[0..<count]
            }
            return statusCode(reply).map { (200..<400).contains($0) } ?? false
        }
    }

    /// The status of an HTTP reply's first line (`HTTP/1.1 200 OK` → 200).
    static func statusCode(_ reply: [UInt8]) -> Int? {
        let line = String(
            decoding: reply.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
        return Int(parts[1])
    }

    /// A connected TCP socket to 127.0.0.1:`port` within a second, or nil.
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 && errno != EINPROGRESS {
            close(fd)
            return nil
        }
        if rc != 0 {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard poll(&entry, 1, 1000) == 1, getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0
            else {
                close(fd)
                return nil
            }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }
}
