// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way:
// CLMDB → LMDB → EventStore → (Agreements → Protocol → Server) → accord
// AccordJSON is a leaf that EventStore and everything above it share.
let package = Package(
    name: "Accord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "accord", targets: ["accord"]),
        .library(name: "EventStore", targets: ["EventStore"]),
        .library(name: "LMDB", targets: ["LMDB"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        .target(name: "AccordJSON"),
        .target(
            name: "EventStore",
            dependencies: [
                "LMDB", "AccordJSON",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Agreements", dependencies: ["EventStore", "AccordJSON"]),
        .target(
            name: "Registry",
            dependencies: [
                "Agreements", "EventStore", "LMDB", "AccordJSON",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "accord",
            dependencies: [
                "EventStore", "LMDB", "AccordJSON", "Agreements", "Registry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "AccordTesting", path: "Tests/AccordTesting"),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "AccordTesting"]),
        .testTarget(name: "AccordJSONTests", dependencies: ["AccordJSON"]),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "LMDB", "AccordJSON", "AccordTesting"]),
        .testTarget(name: "AgreementsTests", dependencies: ["Agreements", "EventStore", "AccordJSON", "AccordTesting"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Agreements", "EventStore", "LMDB", "AccordJSON", "AccordTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
