import Foundation
import Synchronization
import Testing

@testable import SwirlExecutor

@Suite("Directory watches")
struct DirectoryWatchTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("swirl-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func names(_ batch: DirectoryWatch.Batch) -> [String] {
        if case .names(let names) = batch { return names }
        return []
    }

    @Test("a watch reports created names until it is removed, and removing it twice is harmless")
    func unwatchStopsEvents() throws {
        let watch = try DirectoryWatch(directory: directory)
        try FileIO.write(Data(), to: directory.appendingPathComponent("first"))
        #expect(Poll.readable([watch.fd], timeout: 5) == [0])
        #expect(names(watch.read()) == ["first"])
        watch.unwatch()
        watch.unwatch()
        try FileIO.write(Data(), to: directory.appendingPathComponent("second"))
        _ = Poll.readable([watch.fd], timeout: 0.2)
        #expect(!names(watch.read()).contains("second"))
    }

    @Test("a completion watcher's thread carries its name where `top -H` and /proc show it")
    func watcherThreadIsNamed() async throws {
        let seen = Mutex<String?>(nil)
        let watcher = try CompletionWatcher(directory: directory) { _, _ in
            let comm = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
            seen.withLock { $0 = comm?.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        defer { watcher.stop() }
        try FileIO.write(Data(), to: directory.appendingPathComponent("pod-named"))
        for _ in 0..<500 where seen.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(seen.withLock { $0 } == "swirl-watcher")
    }

    @Test("a completion watcher can be stopped repeatedly, also after its reader has ended")
    func stopIsIdempotent() async throws {
        for round in 0..<50 {
            let watcher = try CompletionWatcher(directory: directory)
            try FileIO.write(Data(), to: directory.appendingPathComponent("pod-\(round)"))
            watcher.stop()
            var seen = 0
            for await _ in watcher.podNames { seen += 1 }  // ends once the reader thread has finished
            watcher.stop()  // must not write to a closed pipe (SIGPIPE would end this test process)
            #expect(seen <= round + 1)
        }
    }

    @Test("a completion watcher with a handler calls it on its thread: markers found at start without a time")
    func handlerReceivesNames() async throws {
        try FileIO.write(Data(), to: directory.appendingPathComponent("before"))
        let received = Mutex<[(String, Date?)]>([])
        let watcher = try CompletionWatcher(directory: directory) { name, seenAt in
            received.withLock { $0.append((name, seenAt)) }
        }
        defer { watcher.stop() }
        let written = Date()
        try FileIO.write(Data(), to: directory.appendingPathComponent(".temporary"))
        try FileIO.write(Data(), to: directory.appendingPathComponent("after"))
        let deadline = Date().addingTimeInterval(10)
        while received.withLock({ $0.count }) < 2 && Date() < deadline { usleep(1000) }
        let names = received.withLock { $0 }
        #expect(names.map(\.0) == ["before", "after"], "dot-prefixed temporary names are not markers")
        #expect(names.first?.1 == nil, "found by listing")
        #expect(names.last?.1.map { $0 >= written.addingTimeInterval(-0.01) } == true, "seen as it appeared")
        var streamed = 0
        for await _ in watcher.podNames { streamed += 1 }  // finished from the start: this ends at once
        #expect(streamed == 0)
    }
}
