// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "swirl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swirl", targets: ["swirl"])
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "SwirlSpec", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "SwirlExpr", dependencies: []),
        .target(
            name: "SwirlEngine",
            dependencies: [
                "SwirlSpec", "SwirlExpr",
                .product(name: "DequeModule", package: "swift-collections"),
            ]),
        .target(
            name: "SwirlStore",
            dependencies: [
                "SwirlSpec", "SwirlEngine", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        .target(name: "SwirlArtifacts", dependencies: ["SwirlSpec"]),
        .target(
            name: "SwirlExecutor",
            dependencies: [
                "SwirlSpec", "SwirlEngine", "SwirlArtifacts",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .target(
            name: "SwirlController",
            dependencies: [
                "SwirlSpec", "SwirlEngine", "SwirlStore", "SwirlExecutor",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "SwirlRender", dependencies: ["SwirlSpec", "SwirlEngine"]),
        .executableTarget(
            name: "swirl",
            dependencies: [
                "SwirlSpec", "SwirlExpr", "SwirlEngine", "SwirlStore", "SwirlExecutor", "SwirlController",
                "SwirlRender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(name: "SwirlTestSupport", path: "Tests/SwirlTestSupport"),
        .testTarget(name: "SwirlSpecTests", dependencies: ["SwirlSpec", "SwirlTestSupport"], resources: []),
        .testTarget(name: "SwirlExprTests", dependencies: ["SwirlExpr"]),
        .testTarget(name: "SwirlEngineTests", dependencies: ["SwirlEngine", "SwirlSpec", "SwirlTestSupport"]),
        .testTarget(
            name: "SwirlStoreTests",
            dependencies: ["SwirlStore", "SwirlEngine", "SwirlSpec", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "SwirlRenderTests", dependencies: ["SwirlRender", "SwirlEngine", "SwirlSpec", "SwirlTestSupport"]),
        .testTarget(name: "SwirlExecutorTests", dependencies: ["SwirlExecutor", "SwirlEngine", "SwirlSpec"]),
        .testTarget(name: "SwirlArtifactsTests", dependencies: ["SwirlArtifacts"]),
        .testTarget(
            name: "SwirlControllerTests",
            dependencies: ["SwirlController", "SwirlStore", "SwirlExecutor", "SwirlEngine", "SwirlSpec"]),
        .testTarget(name: "SwirlEndToEndTests", dependencies: []),
    ]
)
