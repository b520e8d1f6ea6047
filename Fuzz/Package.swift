// swift-tools-version:6.2
// Keep the tools version at 6.2 or below: OSS-Fuzz's Swift image is 6.2.
//
// The libFuzzer targets, one per trace profile, and the tool that writes
// their seed corpora and dictionaries. Build the targets with `Fuzz/build.sh`
// (coverage and AddressSanitizer); build `make-corpus` without sanitizers.
import PackageDescription

let targets = ["pages", "exact", "slab", "kmalloc", "mixed"]
/// Targets over the invariant checkers and the property-testing engine alone
/// (no trace profile, no judge): inputs that must never crash them.
let robustnessTargets = ["checkers", "decoding"]

func targetName(_ profile: String) -> String { "Fuzz" + profile.prefix(1).uppercased() + profile.dropFirst() }

let package = Package(
    name: "AllocCheckFuzz",
    products: (targets + robustnessTargets).map { .executable(name: $0, targets: [targetName($0)]) } + [
        .executable(name: "make-corpus", targets: ["MakeCorpus"]),
        .executable(name: "throughput-inputs", targets: ["ThroughputInputs"]),
    ],
    dependencies: [
        .package(name: "AllocCheck", path: ".."),
    ],
    targets: targets.map {
        // No main.swift: libFuzzer's `main` drives `LLVMFuzzerTestOneInput`.
        .executableTarget(name: targetName($0), dependencies: ["FuzzSupport"], path: "Sources/\(targetName($0))")
    } + robustnessTargets.map {
        .executableTarget(name: targetName($0), dependencies: ["RobustnessFuzzing"], path: "Sources/\(targetName($0))")
    } + [
        // What the robustness targets run, and their seeds.
        .target(name: "RobustnessFuzzing", dependencies: [
            .product(name: "AllocCheck", package: "AllocCheck"), .product(name: "Invariants", package: "AllocCheck"),
            .product(name: "PropertyTesting", package: "AllocCheck"),
        ]),
        // What every target shares: the judge, chosen once from the environment.
        .target(name: "FuzzSupport", dependencies: [.product(name: "Harness", package: "AllocCheck"), "FuzzRuntimeOptions"]),
        // AddressSanitizer's run-time defaults for the trace targets (C: ASan reads them before Swift starts).
        .target(name: "FuzzRuntimeOptions"),
        // Scenario traces -> seed corpora and dictionaries (no sanitizers needed).
        .executableTarget(name: "MakeCorpus", dependencies: [.product(name: "Harness", package: "AllocCheck"),
                                                             "RobustnessFuzzing"]),
        // Fixed inputs of the measured shape for Fuzz/throughput.sh (no sanitizers needed).
        .executableTarget(name: "ThroughputInputs", dependencies: [.product(name: "Harness", package: "AllocCheck"),
                                                                   .product(name: "PropertyTesting", package: "AllocCheck")]),
    ]
)
