// The shipped corpus: every file of Corpus/ ingests without an error, every curated assignment of
// Corpus/taxonomy.yaml names a paper of the corpus, and every curated link is in the graph.
import Foundation
import LitIngest
import LitModel
import LitStore
import LitTaxonomy
import Testing

let corpusFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Corpus")

@Suite struct ShippedCorpusTests {
    @Test func corpusIngestsWithEveryCuratedLink() throws {
        let taxonomyPath = corpusFolder.appendingPathComponent("taxonomy.yaml").path
        guard FileManager.default.fileExists(atPath: taxonomyPath) else {
            print("skipping: Corpus/taxonomy.yaml is not in this checkout")
            return
        }
        let loaded = TaxonomyLoader.load(path: taxonomyPath)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.prefix(5))")
        let taxonomy = try #require(loaded.taxonomy)

        let t = try TemporaryStore()
        let ingestor = Ingestor(store: t.store)
        let summary = ingestor.ingest(paths: [corpusFolder.path])
        let errors = ingestor.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.prefix(5).map(\.description).joined(separator: "\n"))")
        #expect(summary.failedFiles == 0)
        #expect(summary.taxonomies == 1)
        // No curated paper is missing from the corpus.
        #expect(!ingestor.diagnostics.contains { $0.id == "link.unknown-paper" },
                "\(ingestor.diagnostics.filter { $0.id == "link.unknown-paper" }.prefix(5).map(\.description))")

        var missing: [String] = []
        var checked = 0
        for assignment in taxonomy.papers {
            guard let node = try t.store.findPaper(assignment.paper) else {
                missing.append("\(assignment.paper): not in the graph")
                continue
            }
            let links = try t.store.links(ofPaper: node)
            for (kind, reference) in assignment.links {
                checked += 1
                if !links.contains(where: { $0.type == kind.linkType && $0.id == reference.id && $0.via == "curated" }) {
                    missing.append("\(assignment.paper): \(kind.linkType) \(reference.id)")
                }
            }
            for vetoed in assignment.not where links.contains(where: { $0.id == vetoed.id && $0.via == "lexicon" }) {
                missing.append("\(assignment.paper): lexicon link to \(vetoed.id) despite 'not'")
            }
        }
        #expect(checked > 0)
        #expect(missing.isEmpty, "\(missing.prefix(10).joined(separator: "\n"))")
        // The shipped survey is in the graph and linked.
        let survey = try #require(try t.store.findPaper("2502.17516"))
        #expect(try !t.store.links(ofPaper: survey).isEmpty)
    }
}
