// BibTeX into the graph, checked against a generated corpus's ground truth (index.tsv): published
// versions resolve to their arXiv paper and nothing else merges; Atom and BibTeX make one paper per
// work; re-ingest changes nothing; citations become CITES edges without stubs; bad entries are
// reported and skipped; the export comes back through bibtex.
import Foundation
import LitBibTeX
import LitExport
import LitIngest
import LitModel
import LitStore
import Testing

/// One generated corpus for all ingest tests (made once, under the temporary folder).
enum Corpus {
    struct Row { var key: String; var kind: String; var arxiv: String; var dupOf: String }

    static let directory: URL? = {
        let generator = Fixtures.shared.appendingPathComponent("bench/gen_corpus.py")
        guard FileManager.default.fileExists(atPath: generator.path),
              let dir = try? Fixtures.temporaryDirectory() else { return nil }
        _ = try? Fixtures.run("/usr/bin/env", ["python3", generator.path, "--papers", "1000", "--out", dir.path, "--jobs", "1"])
        return FileManager.default.fileExists(atPath: dir.appendingPathComponent("index.tsv").path) ? dir : nil
    }()

    static func index(_ dir: URL) throws -> [Row] {
        let text = try String(contentsOf: dir.appendingPathComponent("index.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Row(key: f[0], kind: f[1], arxiv: f[2], dupOf: f[5])
        }
    }

    static func freshStore() throws -> (GraphStore, URL) {
        let dir = try Fixtures.temporaryDirectory()
        return (try GraphStore(path: dir.appendingPathComponent("g.sqlite").path), dir)
    }
}

@Suite(.serialized)
struct IngestTests {
    func lookup(_ store: GraphStore, _ kind: String, _ value: String) throws -> Int64? {
        try store.read { db in
            try Int64.fetchOne(db, sql: "SELECT node FROM ident WHERE kind = ? AND value = ?", arguments: [kind, value])
        }
    }

    @Test func libraryResolvesAsTheIndexSays() throws {
        let dir = try #require(Corpus.directory, "gen_corpus.py or python3 is absent; skipping")
        let rows = try Corpus.index(dir)
        let (store, tmp) = try Corpus.freshStore()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let ingestor = Ingestor(store: store)
        let summary = ingestor.ingest(paths: [dir.appendingPathComponent("bib/library.bib").path])
        #expect(summary.errors == 0, "\(ingestor.diagnostics.prefix(3))")

        var nodeOf: [String: Int64] = [:]
        for row in rows {
            nodeOf[row.key] = try lookup(store, "bibkey", row.key)
            #expect(nodeOf[row.key] != nil, "\(row.key) has no paper")
        }
        // arXiv entries carry their id; published versions resolve to their arXiv paper.
        for row in rows where row.kind == "arxiv" {
            #expect(try lookup(store, "arxiv", row.arxiv) == nodeOf[row.key], "\(row.key)")
        }
        let dups = rows.filter { $0.kind == "published-dup" }
        #expect(!dups.isEmpty)
        for row in dups {
            #expect(nodeOf[row.key] == (try lookup(store, "arxiv", row.dupOf)), "\(row.key) should be \(row.dupOf)")
        }
        // Nothing else merges: one node per non-duplicate entry.
        let others = rows.filter { $0.kind != "published-dup" }
        #expect(Set(others.compactMap { nodeOf[$0.key] }).count == others.count)
        #expect(try store.count(label: "Paper") == others.count)

        // Re-ingesting changes nothing.
        let again = Ingestor(store: store)
        let second = again.ingest(paths: [dir.appendingPathComponent("bib/library.bib").path])
        #expect(second.papersNew == 0 && second.papersUpdated == 0)
        #expect(try store.count(label: "Paper") == others.count)

        // Citations: one edge per distinct (citing work, cited work), no stubs.
        let canonical: [String: String] = Dictionary(uniqueKeysWithValues: rows.map {
            ($0.key, $0.kind == "published-dup" ? "arxiv:\($0.dupOf)" : $0.kind == "arxiv" ? "arxiv:\($0.arxiv)" : $0.key)
        })
        var pairs = Set<String>()
        let table = try String(contentsOf: dir.appendingPathComponent("citations.tsv"), encoding: .utf8)
        for line in table.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t")
            guard parts.count == 2, let citing = canonical[String(parts[0])] else { continue }
            for cited in parts[1].split(separator: " ") {
                if let c = canonical[String(cited)], c != citing { pairs.insert("\(citing)>\(c)") }
            }
        }
        let cites = Ingestor(store: store)
        let citeSummary = cites.ingest(paths: [dir.appendingPathComponent("citations.tsv").path])
        #expect(citeSummary.errors == 0)
        #expect(try store.count(edgeType: "CITES") == pairs.count)
        #expect(try store.count(label: "Paper") == others.count)

        // Aliases: a published version's key names its arXiv paper's canonical key.
        let aliases = Dictionary(try store.bibkeyAliases().map { ($0.alias, $0.canonical) }, uniquingKeysWith: { a, _ in a })
        for row in dups {
            let canonicalKey = aliases[row.key]
            let arxivRow = rows.first { $0.kind == "arxiv" && $0.arxiv == row.dupOf }!
            #expect(canonicalKey == aliases[arxivRow.key])
        }

        // The export: every entry comes back as it was written, and bibtex reads it without error.
        let export = try BibTeXExport.export(store: store)
        #expect(export.entries == others.count)
        let original = try String(contentsOf: dir.appendingPathComponent("bib/library.bib"), encoding: .utf8)
        let exported = BibTeXDatabase(path: "export.bib", text: export.text)
        #expect(exported.tree.errors.isEmpty)
        var verbatimFound = 0
        for item in exported.tree.items where item.kind == .entry {
            if original.contains(exported.tree.text(of: item)) { verbatimFound += 1 }
        }
        #expect(verbatimFound == export.verbatim)
        if Fixtures.hasBibtex {
            let messages = try WriterTests.bibtexMessages(export.text)
            #expect(messages.errors.filter { !$0.hasPrefix("while executing") }.isEmpty, "\(messages.errors.prefix(4))")
        }
    }

    @Test func atomAndBibTeXMakeOnePaperPerWork() throws {
        let dir = try #require(Corpus.directory, "gen_corpus.py or python3 is absent; skipping")
        let rows = try Corpus.index(dir)
        let (store, tmp) = try Corpus.freshStore()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let ingestor = Ingestor(store: store)
        ingestor.ingest(paths: [dir.appendingPathComponent("atom").path, dir.appendingPathComponent("bib/library.bib").path])
        #expect(ingestor.summary.errors == 0, "\(ingestor.diagnostics.prefix(3))")
        #expect(try store.count(label: "Paper") == rows.filter { $0.kind != "published-dup" }.count)
        for row in rows where row.kind == "published-dup" {
            #expect(try lookup(store, "bibkey", row.key) == (try lookup(store, "arxiv", row.dupOf)), "\(row.key)")
        }
        // Atom-only papers export as generated entries that bibtex accepts without a warning.
        let (atomStore, tmp2) = try Corpus.freshStore()
        defer { try? FileManager.default.removeItem(at: tmp2) }
        Ingestor(store: atomStore).ingest(paths: [dir.appendingPathComponent("atom").path])
        let first = try BibTeXExport.export(store: atomStore)
        let second = try BibTeXExport.export(store: atomStore)
        #expect(first.text == second.text)   // stable keys and bytes
        #expect(first.generated == 1000)
        if Fixtures.hasBibtex {
            let messages = try WriterTests.bibtexMessages(first.text)
            #expect(messages.errors.isEmpty && messages.warnings.isEmpty,
                    "\(messages.errors.prefix(3)) \(messages.warnings.sorted().prefix(3))")
        }
    }

    @Test func badEntriesAreReportedAndTheRestGoesIn() throws {
        let (store, tmp) = try Corpus.freshStore()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let path = tmp.appendingPathComponent("refs.bib").path
        try ParserTests.bad.write(toFile: path, atomically: true, encoding: .utf8)
        let ingestor = Ingestor(store: store)
        let summary = ingestor.ingest(paths: [path])
        let errors = ingestor.diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(errors.count == 6)
        #expect(errors.allSatisfy { $0.hasPrefix("\(path):") && $0.contains(": error: ") })
        #expect(summary.papersNew == 4)
        #expect(summary.entriesSkipped > 0)
        #expect(try store.findPaper("after") != nil && store.findPaper("before") != nil)
        #expect(try store.findPaper("missingcomma") == nil)
    }

    @Test func citedByAndStubsFilledLater() throws {
        let (store, tmp) = try Corpus.freshStore()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let refs = tmp.appendingPathComponent("refs.bib").path
        try """
        @misc{vaswani2017attention, title = {Attention Is All You Need}, author = {Vaswani, Ashish},
              year = 2017, eprint = {1706.03762}, archivePrefix = {arXiv}}
        @article{elhage2021, title = {A Mathematical Framework for Transformer Circuits}, author = {Elhage, Nelson}, year = 2021, journal = {Transformer Circuits Thread}}
        """.write(toFile: refs, atomically: true, encoding: .utf8)
        let ingestor = Ingestor(store: store)
        ingestor.citedBy = "lin2025survey"
        ingestor.ingest(paths: [refs])
        #expect(ingestor.summary.errors == 0)
        let citing = try #require(try store.findPaper("lin2025survey"))
        #expect(try store.paper(citing)?.props["stub"] == .bool(true))
        #expect(try store.count(edgeType: "CITES") == 2)
        // The survey's own entry arrives later and fills the stub.
        let own = tmp.appendingPathComponent("survey.bib").path
        try """
        @misc{lin2025survey, title = {A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models},
              author = {Lin, Zihao and Basu, Samyadeep}, year = 2025, eprint = {2502.17516}, archivePrefix = {arXiv}}
        """.write(toFile: own, atomically: true, encoding: .utf8)
        Ingestor(store: store).ingest(paths: [own])
        let filled = try #require(try store.paper(citing))
        #expect(filled.props["stub"] == nil)
        #expect(filled.props["arxiv"] == .string("2502.17516"))
        #expect(try store.count(label: "Paper") == 3)
    }
}
