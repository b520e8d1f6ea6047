import Testing
import Harness
import PropertyTesting

@Suite struct SmokeTests {
    @Test func randomTracesPassOnTheCorrectCore() throws {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        for profile in Profile.all {
            for seed in 0..<200 {
                let tc = TestCase(seed: UInt64(seed))
                let trace = try tc.draw(Trace.generator(profile))
                if let failure = judge.check(trace) {
                    Issue.record("\(profile.name) seed \(seed):\n\(failure.report(for: trace))")
                    return
                }
            }
        }
    }
}
