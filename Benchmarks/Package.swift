// swift-tools-version: 6.3
// litgraph's benchmark suite (ordo-one/benchmark), a package of its own so that the main package's
// `swift build` stays lean. Run from this folder: `swift package benchmark`.
import PackageDescription

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
                .product(name: "LitStore", package: "litgraph"),
                .product(name: "LitIngest", package: "litgraph"),
                .product(name: "LitAtom", package: "litgraph"),
                .product(name: "LitBibTeX", package: "litgraph"),
                .product(name: "LitQuery", package: "litgraph"),
                .product(name: "LitExport", package: "litgraph"),
                .product(name: "LitTaxonomy", package: "litgraph"),
            ],
            path: "Benchmarks/\(area)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    }
)
