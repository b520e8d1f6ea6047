@testable import Invariants
import Testing

/// The checkers' allocation-free sort agrees with the standard library's.
@Suite("Checked.sortInPlace")
struct CheckedSortTests {
    @Test("sorts like sorted() on lengths 0 to 300, with repeats and extremes")
    func agreesWithSorted() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for length in 0...300 {
            for range in [3, 1_000, Int.max] {
                var values = (0..<length).map { _ -> Int in
                    let r = Int(next() % UInt64(min(range, Int(Int32.max))))
                    return range == Int.max && r % 7 == 0 ? (r % 2 == 0 ? Int.min : Int.max) : r - range / 2
                }
                let expected = values.sorted()
                Checked.sortInPlace(&values)
                #expect(values == expected, "length \(length), range \(range)")
            }
        }
    }

    @Test("sorted, reversed and constant inputs")
    func orderedInputs() {
        for length in [2, 21, 64, 257] {
            var ascending = Array(0..<length)
            Checked.sortInPlace(&ascending)
            #expect(ascending == Array(0..<length))
            var descending = Array((0..<length).reversed())
            Checked.sortInPlace(&descending)
            #expect(descending == Array(0..<length))
            var constant = Array(repeating: 5, count: length)
            Checked.sortInPlace(&constant)
            #expect(constant == Array(repeating: 5, count: length))
        }
    }
}
