// Exports of a generated 10,000-paper corpus (../shared/bench/gen_corpus.py) ingested as a user
// would: every diagram passes the real `dot`, twice the same bytes, GraphML validates, Neo4j CSV
// row counts match the store.
import Foundation
import Testing
import LitIngest
import LitStore
@testable import LitExport

enum GeneratedCorpus {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    static let generator = shared.appendingPathComponent("bench/gen_corpus.py")
    static var available: Bool {
        FileManager.default.fileExists(atPath: generator.path) && ExternalTools.find("python3") != nil
    }

    /// Generates a corpus of `papers` papers into `directory` and ingests what this build reads of it.
    static func ingest(papers: Int, into db: TemporaryStore) throws -> IngestSummary {
        let corpus = db.directory.appendingPathComponent("corpus")
        let run = try ExternalTools.run("python3", [generator.path, "--papers", String(papers), "--out", corpus.path, "--jobs", "1"])
        guard run.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        // The whole folder, as a user would give it: formats this build does not read yet are reported
        // as unsupported and skipped, the rest goes in.
        return Ingestor(store: db.store).ingest(paths: [corpus.path])
    }
}

@Suite(.enabled(if: GeneratedCorpus.available, "../shared/bench/gen_corpus.py or python3 is absent: generated-corpus export tests skipped"))
struct GeneratedCorpusExportTests {
    @Test func everyExportOfAnIngested10kCorpusIsValid() throws {
        let db = try TemporaryStore()
        let started = Date()
        let summary = try GeneratedCorpus.ingest(papers: 10_000, into: db)
        print("generated and ingested in \(Date().timeIntervalSince(started)) s")
        #expect(summary.papersNew >= 10_000)
        let (nodes, edges) = try db.store.readGraph { try $0.counts() }
        #expect(nodes["Paper"] ?? 0 >= 10_000)

        let centre = try db.store.readGraph { try $0.papers().first { $0.arxiv != nil }!.arxiv! }
        for view in DiagramView.allCases {
            let request = DiagramRequest(view: view, around: view == .neighbourhood ? centre : nil, depth: 2)
            let text = DOTWriter.write(try Diagram.build(request, from: db.store))
            #expect(text == DOTWriter.write(try Diagram.build(request, from: db.store)), "\(view) differs between runs")
            if view == .citations { #expect(text.contains("Citations among 150 papers")) }
            if ExternalTools.hasDot {
                let result = try ExternalTools.run("dot", ["-Tsvg"], input: text)
                #expect(result.status == 0 && result.stderr.isEmpty, "\(view): \(result.stderr)")
            }
        }

        print("diagrams after \(Date().timeIntervalSince(started)) s")
        if ExternalTools.hasXmllint {
            let graphml = db.file("corpus.graphml")
            try GraphMLWriter.write(db.store, to: try FileOutput(path: graphml))
            let check = try ExternalTools.run("xmllint", ["--noout", "--huge", graphml])
            #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stderr.prefix(500))")
        }

        let summaryCSV = try Neo4jCSVWriter.write(db.store, toDirectory: db.file("neo4j"))
        #expect(summaryCSV.nodes == nodes.values.reduce(0, +))
        #expect(summaryCSV.relationships == edges.values.reduce(0, +))
        #expect(summaryCSV.files.first { $0.name == "nodes_Paper.csv" }?.rows == nodes["Paper"])
        for (type, n) in edges { #expect(summaryCSV.files.first { $0.name == "relationships_\(type).csv" }?.rows == n) }
    }
}
