// swift-tools-version:6.1
import PackageDescription

// Layers, lowest first: a module depends only on modules below it (README,
// "What is here", holds the same table, which ops/check-layers checks
// against every target's dependencies and imports).
//
//   1  AccordJSON · Merkle · CLMDB · LineFraming (NIO)     leaves
//      CommandSupport (Logging)                             what both executables share
//   2  AccordCore (AccordJSON) · LMDB (CLMDB)
//   3  Agreements (AccordCore)                              the domain: no storage, no transport
//      Checkpoints (Merkle, AccordCore)                     signed notes
//      EventStore (LMDB, AccordCore, Merkle)                the log
//      WireProtocol (AccordCore)                            typed commands, decoded and encoded, responses, errors: never the domain
//   4  AccordClient (WireProtocol, Merkle, LineFraming)     the Swift client, sending WireProtocol's typed commands: never LMDB
//      Registry (Agreements, EventStore) · Transparency (EventStore, Checkpoints)
//      Editions (Agreements, Checkpoints)                   published editions: workbooks, CSVs, the site; no storage
//   5  Server (WireProtocol, Registry, Transparency, NIO)
//      ReportingSink (AccordClient, PostgresNIO)            projections copied into PostgreSQL: never LMDB
//   6  Replication (AccordClient, EventStore, Registry, WireProtocol) a replica copying and verifying its primary's log: never Server
//   7  accord (Server, Replication, AccordClient, ReportingSink, Editions, CommandSupport) · accord-bench (benchmarks, peers' clients)

let package = Package(
    name: "Accord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "accord", targets: ["accord"]),
        .executable(name: "accord-bench", targets: ["AccordBench"]),
        .library(name: "AccordClient", targets: ["AccordClient"]),
        .library(name: "EventStore", targets: ["EventStore"]),
        .library(name: "LMDB", targets: ["LMDB"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        .target(name: "AccordJSON"),
        .target(name: "AccordCore", dependencies: ["AccordJSON"]),
        .target(name: "Merkle", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Checkpoints", dependencies: ["Merkle", "AccordCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "EventStore",
            dependencies: [
                "LMDB", "AccordCore", "AccordJSON", "Merkle",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "Agreements", dependencies: ["AccordCore", "AccordJSON"]),
        .target(
            name: "Registry",
            dependencies: [
                "Agreements", "EventStore", "LMDB", "AccordCore", "AccordJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Transparency", dependencies: ["EventStore", "AccordCore", "AccordJSON", "Checkpoints", "Merkle", "LMDB"]),
        .target(
            name: "Editions",
            dependencies: [
                "Agreements", "AccordCore", "AccordJSON", "Checkpoints", "Merkle",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(name: "WireProtocol", dependencies: ["AccordCore", "AccordJSON"]),
        .target(
            name: "Server",
            dependencies: [
                "WireProtocol", "Registry", "Agreements", "EventStore", "LMDB", "AccordCore", "AccordJSON", "Transparency", "Checkpoints",
                "Merkle", "LineFraming",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "LineFraming", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "AccordClient",
            dependencies: [
                "AccordCore", "AccordJSON", "WireProtocol", "Merkle", "LineFraming",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ReportingSink",
            dependencies: [
                "AccordClient", "AccordCore", "AccordJSON", "Merkle",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Replication",
            dependencies: [
                "AccordClient", "EventStore", "Registry", "Agreements", "Transparency", "Checkpoints", "Merkle", "AccordCore",
                "AccordJSON", "WireProtocol",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CommandSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "AccordBench",
            dependencies: [
                "CommandSupport", "AccordClient", "EventStore", "LMDB", "AccordCore", "AccordJSON", "Agreements", "Registry",
                "Transparency", "Checkpoints", "AccordTesting",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "accord",
            dependencies: [
                "CommandSupport", "AccordClient", "EventStore", "LMDB", "AccordCore", "AccordJSON", "Agreements", "Registry", "Server",
                "Transparency", "Checkpoints", "Merkle", "ReportingSink", "Replication", "Editions", "WireProtocol",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libFuzzer targets (ops/fuzz builds them with -sanitize=fuzzer,address).
        .target(name: "FuzzSupport", path: "Tests/Fuzz/FuzzSupport"),
        .executableTarget(
            name: "FuzzRequests", dependencies: ["FuzzSupport", "WireProtocol", "AccordJSON"], path: "Tests/Fuzz/FuzzRequests"),
        .executableTarget(
            name: "FuzzEvents", dependencies: ["FuzzSupport", "Agreements", "AccordCore", "AccordJSON"], path: "Tests/Fuzz/FuzzEvents"),
        .target(name: "AccordTesting", path: "Tests/AccordTesting"),
        .target(name: "AgreementsTesting", dependencies: ["Agreements", "AccordCore", "AccordTesting"], path: "Tests/AgreementsTesting"),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "AccordTesting"]),
        .testTarget(name: "AccordJSONTests", dependencies: ["AccordJSON"]),
        .testTarget(name: "AccordCoreTests", dependencies: ["AccordCore", "AccordJSON"]),
        .testTarget(name: "MerkleTests", dependencies: ["Merkle", "Checkpoints"]),
        .testTarget(
            name: "EventStoreTests",
            dependencies: [
                "EventStore", "AccordCore", "LMDB", "AccordJSON", "AccordTesting", "Merkle",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "AgreementsTests", dependencies: ["Agreements", "AgreementsTesting", "AccordCore", "AccordJSON"]),
        .testTarget(name: "WireProtocolTests", dependencies: ["WireProtocol", "Agreements", "AccordCore", "AccordJSON", "EventStore"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "AccordClient", "WireProtocol", "Registry", "Agreements", "EventStore", "LMDB", "AccordCore", "AccordJSON",
                "AccordTesting", "AgreementsTesting", "Transparency", "Checkpoints", "Merkle", "LineFraming",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EditionsTests",
            dependencies: ["Editions", "Agreements", "AgreementsTesting", "AccordCore", "AccordJSON", "Checkpoints", "Merkle"]
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                "Registry", "AccordCore", "AgreementsTesting", "Agreements", "EventStore", "LMDB", "AccordJSON", "AccordTesting",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
