import Foundation
import Testing

@Suite("Store concurrency", .timeLimit(.minutes(1)))
struct StoreConcurrencyTests {
    /// Several commands opening a brand-new `$SWIRL_HOME` at once (a script submitting in parallel, or `get`
    /// polling while `submit` creates the store) must all succeed: schema creation/migration and
    /// `PRAGMA journal_mode = WAL` must not race.
    @Test(arguments: 1...3)
    func concurrentFirstOpensOfAFreshStoreAllSucceed(round: Int) throws {
        try withSwirlHome(initialize: false) { swirl in
            let commands = try (0..<8).map { _ in try swirl.start(["list"]) }
            let results = commands.map { $0.finish(timeout: 20) }
            let failures = results.filter { !$0.succeeded }
            #expect(
                failures.isEmpty,
                "\(failures.count)/\(results.count) concurrent `swirl list` on a fresh home failed:\n\(failures.map(\.stderr).joined())"
            )
        }
    }
}
