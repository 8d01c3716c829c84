import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Finds and signals the processes of a sandbox's process group.
enum StepProcesses {
    /// Pids in process group `pgid` except `excluded` and bwrap's own processes: the step and its children,
    /// which get SIGTERM first so they can shut down before bwrap (and with it the pid namespace) goes.
    static func stepPIDs(pgid: pid_t, excluding excluded: Set<pid_t>) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), !excluded.contains(pid),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { return nil }
            let command = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // fields: state ppid pgrp …
            guard fields.count > 2, let group = pid_t(fields[2]), group == pgid, command != "bwrap" else { return nil }
            return pid
        }
    }

    /// SIGTERM to the step's processes (not the sandbox machinery).
    static func terminateStep(pgid: pid_t, excluding excluded: Set<pid_t>) {
        for pid in stepPIDs(pgid: pgid, excluding: excluded) { Glibc.kill(pid, SIGTERM) }
    }

    /// SIGKILL to the whole group.
    static func killGroup(_ pgid: pid_t) {
        if pgid > 1 { Glibc.kill(-pgid, SIGKILL) }
    }
}
