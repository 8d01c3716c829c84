import Foundation
import SwirlSpec
import SwirlTestSupport
import Testing

/// Random damage to valid manifests must give diagnostics, never a crash or a hang.
@Suite struct LintFuzzTests {
    typealias SeededGenerator = SplitMix64

    static let noise = [
        ":", "-", "- ", "{", "}", "[", "]", "\"", "'", "\t", " ", "  ", "&a", "*a", "<<: *a", "!", "|", ">", "#", "%",
        "@", "`", "\n", "{{", "}}", "{{inputs.parameters.", "é", "\u{0}", "---\n", "...", "?", ",", "~", "null",
    ]

    static func mutate(_ text: String, using rng: inout SeededGenerator) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        switch Int.random(in: 0..<8, using: &rng) {
        case 0:  // delete a line
            lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
        case 1:  // duplicate a line
            let i = Int.random(in: 0..<lines.count, using: &rng)
            lines.insert(lines[i], at: i)
        case 2:  // swap two lines
            lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
        case 3:  // indent or dedent a line
            let i = Int.random(in: 0..<lines.count, using: &rng)
            if Bool.random(using: &rng) { lines[i] = "  " + lines[i] } else { lines[i] = String(lines[i].dropFirst(2)) }
        case 4, 5:  // insert noise at a random place
            let i = Int.random(in: 0..<lines.count, using: &rng)
            var line = Array(lines[i])
            let at = Int.random(in: 0...line.count, using: &rng)
            line.insert(contentsOf: Array(noise.randomElement(using: &rng)!), at: at)
            lines[i] = String(line)
        case 6:  // replace a word with a near miss
            let i = Int.random(in: 0..<lines.count, using: &rng)
            var line = Array(lines[i])
            if !line.isEmpty { line.remove(at: Int.random(in: 0..<line.count, using: &rng)) }
            lines[i] = String(line)
        default:  // truncate
            let joined = Array(lines.joined(separator: "\n"))
            return String(joined.prefix(Int.random(in: 0...joined.count, using: &rng)))
        }
        return lines.joined(separator: "\n")
    }

    static var corpus: [String] {
        var texts = Fixtures.files(in: "valid").map(Fixtures.text)
        texts += ["dag-cycle.yaml", "undeclared-variables.yaml", "unknown-template.yaml", "duplicates.yaml"].map(
            Fixtures.text)
        return texts
    }

    @Test func randomMutationsNeverCrash() {
        var rng = SeededGenerator(state: 0x5EED)
        let corpus = Self.corpus
        #expect(corpus.count >= 8)
        var withFindings = 0
        for iteration in 0..<3000 {
            var text = corpus[iteration % corpus.count]
            for _ in 0..<Int.random(in: 1...3, using: &rng) { text = Self.mutate(text, using: &rng) }
            let diagnostics = Linter.lint(text: text, file: "fuzz-\(iteration).yaml")
            if !diagnostics.isEmpty { withFindings += 1 }
            for d in diagnostics {
                #expect(!d.message.isEmpty)
                #expect(d.line >= 0 && d.column >= 0)
            }
        }
        #expect(withFindings > 1000)
    }
}
