// swift-tools-version: 6.3
// litgraph's benchmark suite (ordo-one/benchmark), a package of its own so that the main package's
// `swift build` stays lean. Run from this folder: `swift package benchmark`.
import PackageDescription
import struct Foundation.URL

// SwiftPM names a path dependency after its folder, which differs between clones.
let main = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let areas = ["AtomIngest", "BibTeXParse", "QueryEngine", "Linking", "Exports"]

let package = Package(
    name: "litgraph-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: areas.map { area in
        .executableTarget(
            name: area,
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LitStore", package: main),
                .product(name: "LitIngest", package: main),
                .product(name: "LitAtom", package: main),
                .product(name: "LitBibTeX", package: main),
                .product(name: "LitQuery", package: main),
                .product(name: "LitExport", package: main),
                .product(name: "LitTaxonomy", package: main),
            ],
            path: "Benchmarks/\(area)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    }
)
