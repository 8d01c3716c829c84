/// "Did you mean …?" suggestions: the closest valid name by edit distance.
enum NearestName {
    /// The candidate closest to `name`, when it is close enough to be a plausible typo.
    static func suggest<S: Swift.Sequence>(for name: String, among candidates: S) -> String? where S.Element == String {
        let query = Array(name.lowercased())
        guard !query.isEmpty else { return nil }
        let threshold = min(3, max(1, query.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name && !candidate.isEmpty {
            let distance = Self.distance(query, Array(candidate.lowercased()))
            guard distance <= threshold, distance < query.count else { continue }
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        return best?.name
    }

    /// `", did you mean 'x'?"` or the empty string.
    static func hint<S: Swift.Sequence>(for name: String, among candidates: S) -> String where S.Element == String {
        suggest(for: name, among: candidates).map { ", did you mean '\($0)'?" } ?? ""
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
