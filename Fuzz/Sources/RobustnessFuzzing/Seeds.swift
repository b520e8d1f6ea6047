// Seed inputs for the `checkers` and `decoding` targets: the canonical bytes
// of examples the engine generates at fixed seeds, small to large, plus the
// empty input (the simplest example). make-corpus writes them to
// corpus/<target>/; they are deterministic, so CI can compare them.

import PropertyTesting

public enum RobustnessSeeds {
    /// The targets over the engine and the checkers, with their seeds.
    public static func all() -> [(target: String, seeds: [(name: String, bytes: [UInt8])])] {
        [
            ("checkers", seeds { tc in _ = try tc.draw(CheckerFuzzing.inputs) }),
            ("decoding", DecodingFuzzing.withTree { tree in
                seeds { tc in
                    _ = try tc.draw(tree)
                    _ = try tc.draw(DecodingFuzzing.deep)
                    _ = try tc.draw(DecodingFuzzing.collections)
                }
            }),
        ]
    }

    /// Twelve generated examples (sizes 0.05 to 0.6) and the empty input; an
    /// example that overruns keeps the choices it made, which still decode.
    static func seeds(_ draw: (TestCase) throws -> Void) -> [(name: String, bytes: [UInt8])] {
        var seeds: [(name: String, bytes: [UInt8])] = [("seed-00", [])]
        for index in 1...12 {
            let tc = TestCase(seed: UInt64(index), parameters: GenerationParameters(size: 0.05 * Double(index)))
            _ = try? draw(tc)
            seeds.append((index < 10 ? "seed-0\(index)" : "seed-\(index)", tc.sequence.bytes))
        }
        return seeds
    }
}
