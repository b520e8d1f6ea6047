// swift-tools-version:6.2
// Keep the tools version at 6.2 or below: OSS-Fuzz's Swift image is 6.2.
import PackageDescription

let package = Package(
    name: "AllocCheck",
    products: [
        .library(name: "AllocCheck", targets: ["AllocCheck"]),
        .library(name: "Invariants", targets: ["Invariants"]),
        .library(name: "PropertyTesting", targets: ["PropertyTesting"]),
    ],
    targets: [
        // Tiny C shim: the AddressSanitizer poisoning interface (no-op without ASan).
        .target(name: "CSanitizer", path: "Sources/CSanitizer"),
        // The allocator core: buddy page allocator, exact allocations, slab layer.
        .target(name: "AllocCheck", dependencies: ["CSanitizer", "Invariants"], path: "Sources/AllocCheck"),
        // Invariant checkers over a read-only snapshot; independent of any allocator's internals.
        .target(name: "Invariants", path: "Invariants"),
        // Property-testing engine with integrated shrinking; depends on the standard library only.
        .target(name: "PropertyTesting", path: "Sources/PropertyTesting"),
        .testTarget(name: "AllocCheckTests", dependencies: ["AllocCheck", "Invariants", "CSanitizer"]),
        .testTarget(name: "InvariantsTests", dependencies: ["AllocCheck", "Invariants"]),
        .testTarget(name: "PropertyTestingTests", dependencies: ["PropertyTesting"]),
    ]
)
