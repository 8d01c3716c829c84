import Foundation
import SwirlEngine
import Testing

@testable import SwirlExecutor

/// `request.json` and `result.json` written byte by byte must read back as what was written, and hold the same JSON
/// as `JSONEncoder` would have written.
@Suite struct PodJSONWriterTests {
    /// The two documents parsed, for comparing JSON values rather than bytes (number spelling may differ).
    func sameJSON(_ a: Data, _ b: Data) throws -> Bool {
        let x = try JSONSerialization.jsonObject(with: a) as? NSDictionary
        let y = try JSONSerialization.jsonObject(with: b) as? NSDictionary
        return x != nil && x == y
    }

    let awkward = "quote \" backslash \\ slash / newline \n tab \t bell \u{7} é 🎉 \u{2028}"

    @Test func requestsOfTheCommonShape() throws {
        var requests = [
            PodRequest(workflowName: "w", workflowUID: "u", nodeID: "w-1", podName: "w-step-1", image: nil, argv: [])
        ]
        var full = PodRequest(
            workflowName: "wf-\(awkward)", workflowUID: "uid", nodeID: "n", podName: "p", image: "alpine:3.19",
            argv: ["sh", "-c", awkward, ""], env: ["B": "2", "A": awkward, "a": "", "Ä": "x"], workingDir: "/work",
            scriptSource: "echo '\(awkward)'", outputParameterPaths: ["out": "/tmp/out", "Z": "/z"],
            deadlineSeconds: 30.5)
        full.archiveLogsKey = "logs/\(awkward)"
        full.daemon = true
        requests.append(full)
        full.deadlineSeconds = 30
        requests.append(full)
        for request in requests {
            let fast = try #require(PodJSONWriter.request(request))
            #expect(try PodJSON.decoder().decode(PodRequest.self, from: Data(fast)) == request)
            #expect(
                try sameJSON(Data(fast), PodJSON.encoder().encode(request)), "\(String(decoding: fast, as: UTF8.self))")
        }
    }

    @Test func otherRequestsGoThroughTheEncoder() throws {
        var request = PodRequest(
            workflowName: "w", workflowUID: "u", nodeID: "n", podName: "p", image: nil, argv: ["true"])
        request.outputArtifacts = [ArtifactCapture(name: "a", path: "/tmp/a", key: "k")]
        #expect(PodJSONWriter.request(request) == nil)
        let data = try PodJSON.encode(request)
        #expect(try PodJSON.decoder().decode(PodRequest.self, from: data) == request)
    }

    @Test func results() throws {
        var full = PodResult(
            exitCode: -3, error: awkward, outputParameters: ["p": awkward, "": "empty key"],
            missingOutputs: ["q": "no such file"], stdout: awkward,
            startedAt: Date(timeIntervalSince1970: 1_795_781_774.899_464_6),
            finishedAt: Date(timeIntervalSince1970: 1_795_781_784))
        full.savedArtifacts = ["a": "key/a.tgz"]
        full.artifactErrors = ["b": "failed"]
        for result in [PodResult(exitCode: nil), PodResult(exitCode: 0), full] {
            let fast = try PodJSON.encode(result)
            #expect(try PodJSON.decoder().decode(PodResult.self, from: fast) == result)
            #expect(try sameJSON(fast, PodJSON.encoder().encode(result)), "\(String(decoding: fast, as: UTF8.self))")
        }
    }
}
