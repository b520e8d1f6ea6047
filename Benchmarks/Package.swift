// swift-tools-version:6.2
// Release-mode benchmark executables for AllocCheck. Kept in their own
// package so the main package's clients never build them.
import PackageDescription

let package = Package(
    name: "AllocCheckBenchmarks",
    products: [
        .executable(name: "allocator-benchmark", targets: ["AllocatorBenchmark"]),
        .executable(name: "shrinking-challenge", targets: ["ShrinkingChallenge"]),
        .executable(name: "shrink-quality", targets: ["ShrinkQuality"]),
        .executable(name: "trace-benchmark", targets: ["TraceBenchmark"]),
    ],
    dependencies: [
        .package(name: "AllocCheck", path: ".."),
    ],
    targets: [
        // Page allocator, slab layer and invariant-check timings against glibc and mimalloc, measured in one run.
        .executableTarget(
            name: "AllocatorBenchmark",
            dependencies: [
                .product(name: "AllocCheck", package: "AllocCheck"),
                .product(name: "Invariants", package: "AllocCheck"),
            ],
            path: "Sources/AllocatorBenchmark"
        ),
        // What the two shrinking benchmarks share: the failure their properties
        // raise, and the statistics and formatting of their tables and JSON.
        .target(name: "ShrinkBenchmarkSupport", path: "Sources/ShrinkBenchmarkSupport"),
        // The shrinking challenge (14 problems) for the property-testing engine's shrinker.
        .executableTarget(
            name: "ShrinkingChallenge",
            dependencies: ["ShrinkBenchmarkSupport", .product(name: "PropertyTesting", package: "AllocCheck")],
            path: "Sources/ShrinkingChallenge"
        ),
        // Shrink quality on problems beyond the challenge, side by side with Hypothesis
        // (Benchmarks/hypothesis/shrink_quality.py).
        .executableTarget(
            name: "ShrinkQuality",
            dependencies: ["ShrinkBenchmarkSupport", .product(name: "PropertyTesting", package: "AllocCheck")],
            path: "Sources/ShrinkQuality"
        ),
        // Traces judged per second by the harness, per profile and judging mode.
        .executableTarget(
            name: "TraceBenchmark",
            dependencies: [
                .product(name: "Harness", package: "AllocCheck"),
                .product(name: "PropertyTesting", package: "AllocCheck"),
            ],
            path: "Sources/TraceBenchmark"
        ),
    ]
)
