import Foundation
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
}
