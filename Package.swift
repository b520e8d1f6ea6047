// swift-tools-version:6.2
// Keep the tools version at 6.2 or below: OSS-Fuzz's Swift image is 6.2.
import PackageDescription

// Fuzz builds (`Fuzz/build.sh` and ClusterFuzzLite set ALLOCCHECK_FUZZ_BUILD
// beside libFuzzer and a sanitizer) choose each module's coverage instead of
// libFuzzer's default, which also traces every comparison. Integers reach the
// code as ranks in the byte format, not as the values compared, so traced
// comparisons steer little, and they cost about half of every execution.
// The code under test keeps edge coverage. In the trace targets that is the
// allocator; the judge, the invariant checkers it runs and the
// property-testing engine that decodes the input keep one counter per
// function, so a loop over the arena that runs a different number of times
// is not mistaken for new behaviour (their edges say how a trace was judged
// or read, not what the allocator did; collecting the engine's cost 12 to
// 30% of every execution). The robustness targets `checkers` and `decoding`,
// which test the checkers and the engine themselves, are built apart with
// ALLOCCHECK_FUZZ_BUILD=engine, which gives both edge coverage.
let fuzzBuild = Context.environment["ALLOCCHECK_FUZZ_BUILD"]
let isFuzzBuild = fuzzBuild == "1" || fuzzBuild == "engine"
let underTest: [SwiftSetting] = isFuzzBuild ? [.unsafeFlags(["-sanitize-coverage=edge,inline-8bit-counters,pc-table"])] : []
// The judge-side modules are not what the trace targets test, so they also drop the run-time exclusivity checks on their class
// properties (a tenth to a fifth of their instructions); the code under test
// keeps them, as any Swift code's bug. For the same reason they are built
// without AddressSanitizer's load and store checks (the LLVM options below;
// the module is still compiled for ASan, whose run time still watches every
// heap allocation). ASan is there for the allocator's accesses: to its own
// metadata and to the arena it poisons. The one place the judge touches the
// arena, as the allocator's client writing and verifying its data patterns,
// makes the same checks explicitly (Sources/Harness/Integrity.swift). The
// judge's own memory safety is tested where it is the code under test: the
// `checkers` and `decoding` targets, built with every check.
let judgeOnly: [SwiftSetting] = isFuzzBuild
    ? [.unsafeFlags(["-sanitize-coverage=func,inline-8bit-counters,pc-table", "-enforce-exclusivity=unchecked",
                     "-Xllvm", "-asan-instrument-reads=false", "-Xllvm", "-asan-instrument-writes=false",
                     "-Xllvm", "-asan-instrument-atomics=false"])] : []
/// The engine and the invariant checkers: the code the robustness targets
/// test (built with ALLOCCHECK_FUZZ_BUILD=engine), judge-side in the trace targets.
let robustnessCoverage: [SwiftSetting] = fuzzBuild == "engine" ? underTest : judgeOnly

let package = Package(
    name: "AllocCheck",
    products: [
        .library(name: "AllocCheck", targets: ["AllocCheck"]),
        .library(name: "Invariants", targets: ["Invariants"]),
        .library(name: "PropertyTesting", targets: ["PropertyTesting"]),
        .library(name: "PropertyTestingSwiftTesting", targets: ["PropertyTestingSwiftTesting"]),
        .library(name: "Harness", targets: ["Harness"]),
        .executable(name: "alloccheck", targets: ["alloccheck"]),
    ],
    dependencies: [
        // Only the command line uses it; the core, the invariants and the engine depend on nothing.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Tiny C shim: the AddressSanitizer poisoning interface (no-op without ASan).
        .target(name: "CSanitizer", path: "Sources/CSanitizer"),
        // The allocator core: buddy page allocator, exact allocations, slab layer.
        .target(name: "AllocCheck", dependencies: ["CSanitizer", "Invariants"], path: "Sources/AllocCheck",
                swiftSettings: underTest),
        // Invariant checkers over a read-only snapshot; independent of any allocator's internals.
        .target(name: "Invariants", path: "Invariants", swiftSettings: robustnessCoverage),
        // Property-testing engine with integrated shrinking; depends on the standard library only.
        .target(name: "PropertyTesting", path: "Sources/PropertyTesting", swiftSettings: robustnessCoverage),
        // `propertyCheck`: the engine inside Swift Testing (kept apart so nothing else needs libTesting).
        .target(name: "PropertyTestingSwiftTesting", dependencies: ["PropertyTesting"],
                path: "Sources/PropertyTestingSwiftTesting"),
        // Operation traces, the reference model and the step-by-step judge: where
        // property tests and fuzz targets meet an allocator.
        .target(name: "Harness", dependencies: ["AllocCheck", "CSanitizer", "Invariants", "PropertyTesting"], path: "Sources/Harness",
                swiftSettings: judgeOnly),
        // The work behind each subcommand of `alloccheck`, callable from tests.
        .target(name: "AllocCheckTool", dependencies: ["Harness", "AllocCheck", "Invariants", "PropertyTesting"],
                path: "Sources/AllocCheckTool"),
        // The `alloccheck` command: one thin file per subcommand.
        .executableTarget(name: "alloccheck", dependencies: [
            "AllocCheckTool", "Harness", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/alloccheck"),
        .testTarget(name: "AllocCheckTests", dependencies: ["AllocCheck", "Invariants", "CSanitizer", "PropertyTesting"]),
        .testTarget(name: "InvariantsTests", dependencies: ["AllocCheck", "Invariants"]),
        .testTarget(name: "PropertyTestingTests", dependencies: ["PropertyTesting", "PropertyTestingSwiftTesting"]),
        .testTarget(name: "AllocCheckToolTests", dependencies: ["AllocCheckTool", "Harness", "AllocCheck", "Invariants"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "AllocCheck", "Invariants", "PropertyTesting",
                                                         "PropertyTestingSwiftTesting"]),
    ]
)
