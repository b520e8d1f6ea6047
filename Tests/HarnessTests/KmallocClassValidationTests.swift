@testable import Harness
import Testing

/// Steps on kmalloc size classes have their class validated after them,
/// scoped to the object, as a cache's allocation and free have their cache,
/// when every step is checked.
@Suite struct KmallocClassValidationTests {
    /// A kfree that breaks its object's left red zone (as a free path that
    /// wrote a word too low would): named at that kfree when checking every
    /// step; the standard judge, whose local checks leave kmalloc classes to
    /// the full checks, finds it no earlier than the full check at the end.
    @Test func aKfreeThatBreaksItsClassIsNamedAtTheStep() throws {
        let trace = try Trace(parsing: "arena pages=64 kmalloc_debug=Z\nk1 = kmalloc size=64\nk2 = kmalloc size=64\nkfree k1\n"
                              + "k4 = kmalloc size=4096\nkfree k4\n")
        #expect(Judge<FaultySubject>(configuration: .everyStep).check(trace) == nil)
        let failures = withFault("kfree", nth: 1, { subject, address in subject.clientWrite(0x00, at: address! - 1) }) {
            (Judge<FaultySubject>(configuration: .everyStep).check(trace), Judge<FaultySubject>(configuration: .standard).check(trace))
        }
        #expect(failures.0?.step == 3 && failures.0?.broken == [.invariant(.slabOwnership)], "\(failures.0?.description ?? "passed")")
        #expect(failures.1.map { $0.step > 3 } ?? true, "\(failures.1?.description ?? "passed")")
    }
}
