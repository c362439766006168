// swift-tools-version: 6.1
// litgraph: a field's literature as a knowledge graph in one SQLite file.
// One library target per stage; each depends only on those above it.
import PackageDescription

let package = Package(
    name: "litgraph",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "litgraph", targets: ["litgraph"]),
        .library(name: "LitStore", targets: ["LitStore"]),
        .library(name: "LitIngest", targets: ["LitIngest"]),
        .library(name: "LitBibTeX", targets: ["LitBibTeX"]),
        .library(name: "LitAtom", targets: ["LitAtom"]),
        .library(name: "LitQuery", targets: ["LitQuery"]),
        .library(name: "LitExport", targets: ["LitExport"]),
        .library(name: "LitTaxonomy", targets: ["LitTaxonomy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // libxml2, imported only by LitAtom.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        // SHA-256 block compression on the CPU's SHA extensions, used by LitModel's SHA256.
        .target(name: "CSHA256"),
        // SQLite's process-wide configuration (multi-thread mode, no memory statistics), used by LitStore.
        .target(name: "CSQLiteEngine", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Values every stage shares: diagnostics, spans, identifiers, works.
        .target(name: "LitModel", dependencies: ["CSHA256"]),
        // Formats: parse bytes into model values; no SQLite here.
        .target(name: "LitAtom", dependencies: ["LitModel", "CLibXML2"]),
        .target(name: "LitBibTeX", dependencies: ["LitModel"]),
        .target(name: "LitTaxonomy", dependencies: ["LitModel", .product(name: "Yams", package: "Yams")]),
        // The only code that speaks SQL to SQLite.
        .target(name: "LitStore", dependencies: ["LitModel", "CSQLiteEngine", .product(name: "GRDB", package: "GRDB.swift"),
                                                .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // Formats into the graph: detection, entity resolution, citations, linking.
        .target(name: "LitIngest", dependencies: ["LitModel", "LitAtom", "LitBibTeX", "LitTaxonomy", "LitStore"]),
        // openCypher subset: lexer → parser → binder → SQL → execution through the store.
        .target(name: "LitQuery", dependencies: ["LitModel", "LitStore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Graph out: BibTeX, DOT, GraphML, JSON, Neo4j CSV, gap reports.
        .target(name: "LitExport", dependencies: ["LitModel", "LitStore", "LitQuery", "LitBibTeX", "LitTaxonomy"]),
        // The CLI: wiring and printing, no logic.
        .executableTarget(name: "litgraph", dependencies: [
            "LitModel", "LitStore", "LitIngest", "LitQuery", "LitExport", "LitTaxonomy", "LitBibTeX",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LitModelTests", dependencies: ["LitModel"]),
        .testTarget(name: "LitAtomTests", dependencies: ["LitModel", "LitAtom", "LitIngest", "LitStore",
                                                    .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "LitBibTeXTests", dependencies: ["LitModel", "LitAtom", "LitBibTeX", "LitIngest", "LitStore", "LitExport"]),
        .testTarget(name: "LitQueryTests", dependencies: ["LitQuery", "LitStore"], exclude: ["tck-baseline.txt"]),
        .testTarget(name: "LitTaxonomyTests", dependencies: ["LitModel", "LitTaxonomy", "LitIngest", "LitStore"]),
        .testTarget(name: "LitExportTests", dependencies: ["LitModel", "LitExport", "LitIngest", "LitStore", "LitQuery"]),
        .testTarget(name: "LitgraphCLITests", dependencies: []),
    ]
)
