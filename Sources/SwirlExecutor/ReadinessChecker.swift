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
/// a local probe is cheap, and a dependent step should not wait Kubernetes' default ten. An `exec` probe runs its
/// command inside the step's sandbox, as Kubernetes runs it inside the container: `nsenter` enters the mount
/// namespace (and root and working directory) of the step's first process, with the step's environment; it passes
/// when the command exits 0 within a second (Kubernetes' default `timeoutSeconds`).
final class ReadinessChecker: Sendable {
    let probe: ReadinessProbe?
    /// Where an `exec` probe runs: the sandbox's process group, the step's environment, and `nsenter`.
    let sandbox: ExecTarget?
    private let cancelled = Mutex(false)

    /// What an `exec` probe needs to run inside a sandbox.
    struct ExecTarget: Sendable {
        var processGroup: pid_t
        var environment: [String: String]
        var nsenter: String
    }

    init(probe: ReadinessProbe?, sandbox: ExecTarget? = nil) {
        self.probe = probe
        self.sandbox = sandbox
    }

    /// Starts probing; `marker` is created once the probe passes, unless `cancel()` came first.
    func start(marker: LocalPath) {
        let thread = Thread { [self] in
            Thread.nameCurrent("swirl-readiness")
            if let probe {
                if !sleep(probe.initialDelaySeconds) { return }
                while !isCancelled && !passes(probe.check) {
                    if !sleep(min(probe.periodSeconds, 1)) { return }
                }
            }
            if !isCancelled { try? FileIO.writeAtomically(Data(), to: marker) }
        }
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
    func passes(_ check: ReadinessProbe.Check) -> Bool {
        if case .exec(let argv) = check {
            guard let sandbox else { return true }  // nowhere to run it (tests): as without a probe
            return Self.execPasses(argv, in: sandbox)
        }
        return Self.passes(check)
    }

    /// One attempt of an `exec` probe: the command run inside the sandbox exits 0 within a second.
    static func execPasses(_ argv: [String], in sandbox: ExecTarget, timeout: Double = 1) -> Bool {
        guard !argv.isEmpty, let target = stepProcess(in: sandbox.processGroup) else { return false }
        var command = [sandbox.nsenter, "--target", String(target), "--mount", "--root", "--wd"]
        if namespace("user", of: target) != namespace("user", of: getpid()) {
            command += ["--user", "--preserve-credentials"]
        }
        command += ["--"] + argv
        guard
            let pid = try? ProcessLauncher.spawn(
                command, environment: sandbox.environment, stdout: .devNull, stderr: .devNull,
                grouping: .newProcessGroup)
        else { return false }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid { return WaitStatus(raw: status).exitCode == 0 }
            if rc < 0 && errno != EINTR { return false }
            if Date() >= deadline {
                StepProcesses.killGroup(pid)
                _ = ProcessLauncher.wait(pid)
                return false
            }
            usleep(5_000)
        }
    }

    /// The step's first process inside the sandbox: the lowest pid of the group whose root directory is not the
    /// host's (the sandbox script and bwrap's setup still see the host's root).
    static func stepProcess(in processGroup: pid_t) -> pid_t? {
        var hostRoot = stat()
        guard stat("/", &hostRoot) == 0 else { return nil }
        return StepProcesses.stepPIDs(pgid: processGroup, excluding: [processGroup]).sorted().first { pid in
            var root = stat()
            guard stat("/proc/\(pid)/root/", &root) == 0 else { return false }
            return root.st_dev != hostRoot.st_dev || root.st_ino != hostRoot.st_ino
        }
    }

    /// The identity of a process's namespace of `kind` (`user`, `mnt` …), or nil.
    static func namespace(_ kind: String, of pid: pid_t) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        let count = readlink("/proc/\(pid)/ns/\(kind)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// One attempt of a network probe.
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
