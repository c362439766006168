import Foundation
import GRDB
import Testing
import LitIngest
import LitModel
import LitStore

/// A classic-shape feed with one entry, for version and update tests.
func feed(id: String, title: String, authors: [String], categories: [String] = ["cs.LG", "cs.AI"],
          doi: String? = nil, updated: String = "2025-02-22T10:00:00Z") -> String {
    var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
          <entry>
            <id>http://arxiv.org/abs/\(id)</id>
            <updated>\(updated)</updated>
            <published>2025-02-22T10:00:00Z</published>
            <title>\(title)</title>
            <summary>  An abstract
        over two lines.
        </summary>

        """
    for a in authors { xml += "    <author>\n      <name>\(a)</name>\n    </author>\n" }
    if let doi { xml += "    <arxiv:doi xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\(doi)</arxiv:doi>\n" }
    xml += "    <arxiv:primary_category xmlns:arxiv=\"http://arxiv.org/schemas/atom\" term=\"\(categories[0])\" scheme=\"http://arxiv.org/schemas/atom\"/>\n"
    for c in categories { xml += "    <category term=\"\(c)\" scheme=\"http://arxiv.org/schemas/atom\"/>\n" }
    xml += "  </entry>\n</feed>\n"
    return xml
}

struct MissingPaper: Error { let id: String }

/// The paper an identifier names, or a thrown error.
func paper(_ store: GraphStore, _ id: String) throws -> PaperView {
    guard let node = try store.findPaper(id), let view = try store.paper(node) else { throw MissingPaper(id: id) }
    return view
}

/// Counts and every Paper's props, to compare two states of a database.
func snapshot(_ store: GraphStore) throws -> (GraphStats, [String]) {
    let stats = try store.stats()
    var papers: [String] = []
    for arxiv in try store.allArxivIDs() {
        let view = try paper(store, arxiv)
        papers.append(JSONValue.object(view.props).encoded + view.authors.map(\.name).joined(separator: ";")
                      + view.categories.joined(separator: ","))
    }
    return (stats, papers)
}

extension GraphStore {
    func allArxivIDs() throws -> [String] {
        var ids: [String] = []
        for label in ["Paper"] where try count(label: label) > 0 {
            // Through the public reads only: every arXiv ident.
            ids = try identValues(kind: "arxiv")
        }
        return ids
    }
}

@Suite(.enabled(if: Fixtures.available, "../shared/fixtures/atom is absent: Atom ingest tests skipped"))
struct AtomFixtureIngestTests {
    @Test func everyFixtureIngestsWithItsFields() throws {
        let (store, _) = try Fixtures.store()
        let ingestor = Ingestor(store: store)
        let summary = ingestor.ingest(paths: [Fixtures.atom.path])
        // 14 Atom files; the two error feeds fail, the .json and .md files are skipped.
        #expect(summary.files == 14)
        #expect(summary.failedFiles == 2)
        #expect(summary.skippedFiles == 14)
        let errors = ingestor.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.id == "atom.api-error" && $0.message.contains("incorrect id format for") })
        #expect(errors.contains { $0.message.hasSuffix("incorrect id format for 1234.12345") })
        #expect(errors.contains { $0.message.hasSuffix("incorrect id format for abc") })
        // 100 + 10 + 10 search results (the two pages of ten are inside the hundred) + 7 single-id feeds.
        #expect(summary.papersNew == 106)
        #expect(summary.papersUnchanged == 21)
        #expect(try store.count(label: "Paper") == 106)
        // Error feeds leave no Source behind: 12 stored files.
        #expect(try store.count(label: "Source") == 12)

        let hep = try paper(store, "hep-ex/0307015v1")
        #expect(hep.string("arxiv") == "hep-ex/0307015")
        #expect(hep.int("version") == 1)
        #expect(hep.string("journal_ref") == "Eur.Phys.J. C31 (2003) 17-29")
        #expect(hep.authors.map(\.name) == ["H1 Collaboration"])

        let astro = try paper(store, "http://arxiv.org/abs/astro-ph/0601001")
        #expect(astro.authors.map(\.name) == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"])
        #expect(astro.authors.map(\.affiliations) == [["Ohio State"], ["Ohio State"], ["CfA"], ["Warsaw University Observatory"]])
        #expect(astro.authors.map(\.position) == [1, 2, 3, 4])
        #expect(astro.primaryCategory == "astro-ph")
        #expect(astro.sources.count == 1)
        #expect(astro.sources.first?.path.hasSuffix("id_astro-ph_0601001_s0_m100_3150dca9dc76.body.xml") == true)

        let doi = try paper(store, "https://doi.org/10.1109/ICSTW55395.2022.00035")
        #expect(doi.string("arxiv") == "2202.12139")
        #expect(doi.string("doi") == "10.1109/icstw55395.2022.00035")
        #expect(doi.categories == ["cs.SE", "cs.LG"])
        #expect(doi.primaryCategory == "cs.SE")
        // Stated by three files (the pages of 100 and 10, and no other).
        #expect(doi.sources.count == 2)

        let aeW = try paper(store, "1707.08567")
        #expect(aeW.authors.count == 34)
        #expect(aeW.authors[28].name == "Joost van der Putten")
        #expect(aeW.int("year") == 2017)

        let quant = try paper(store, "quant-ph/0201082v1")
        #expect(quant.categories == ["quant-ph", "cs.PL"])
        #expect(quant.string("comment") == "32 pages")
        #expect(try store.findPaper("1234.12345") == nil)
    }

    @Test func reingestChangesNothing() throws {
        let (store, _) = try Fixtures.store()
        Ingestor(store: store).ingest(paths: [Fixtures.atom.path])
        let before = try snapshot(store)
        let again = Ingestor(store: store).ingest(paths: [Fixtures.atom.path])
        #expect(again.papersNew == 0)
        #expect(again.papersUpdated == 0)
        #expect(again.papersUnchanged == 127)
        let after = try snapshot(store)
        #expect(before.0 == after.0)
        #expect(before.1 == after.1)
    }
}

@Suite struct AtomVersionTests {
    @Test func newerVersionUpdatesAndOlderIsRecorded() throws {
        let (store, dir) = try Fixtures.store()
        let v1 = dir.appendingPathComponent("v1.xml").path
        let v2 = dir.appendingPathComponent("v2.xml").path
        try feed(id: "2502.17516v1", title: "A Survey on Mechanistic Interpretability", authors: ["Zihao Lin", "Samyadeep Basu"])
            .write(toFile: v1, atomically: true, encoding: .utf8)
        try feed(id: "2502.17516v2", title: "A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models",
                 authors: ["Zihao Lin", "Samyadeep Basu", "Mohammad Beigi"], categories: ["cs.LG", "cs.AI", "cs.CV"],
                 doi: "10.48550/arXiv.2502.17516", updated: "2025-03-01T00:00:00Z")
            .write(toFile: v2, atomically: true, encoding: .utf8)

        let first = Ingestor(store: store).ingest(paths: [v1])
        #expect(first.papersNew == 1)
        var paper = try LitAtomTests.paper(store, "2502.17516")
        #expect(paper.int("version") == 1)
        #expect(paper.authors.count == 2)

        let second = Ingestor(store: store).ingest(paths: [v2])
        #expect(second.papersUpdated == 1 && second.papersNew == 0)
        paper = try LitAtomTests.paper(store, "arXiv:2502.17516v1")
        #expect(paper.int("version") == 2)
        #expect(paper.props["versions"] == .array([.int(1), .int(2)]))
        #expect(paper.string("title") == "A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models")
        #expect(paper.string("updated") == "2025-03-01T00:00:00Z")
        #expect(paper.authors.map(\.name) == ["Zihao Lin", "Samyadeep Basu", "Mohammad Beigi"])
        #expect(paper.categories == ["cs.LG", "cs.AI", "cs.CV"])
        #expect(paper.sources.count == 2)
        #expect(try store.count(label: "Paper") == 1)
        #expect(try store.count(edgeType: "AUTHORED_BY") == 3)
        #expect(try store.count(edgeType: "IN_CATEGORY") == 3)
        // Authors and categories met again in a later run are the same nodes.
        #expect(try store.count(label: "Author") == 3)
        #expect(try store.count(label: "Category") == 3)
        #expect(try store.findPaper("10.48550/arXiv.2502.17516") == paper.node)

        // The older version again: recorded, but the latest still wins.
        let third = Ingestor(store: store).ingest(paths: [v1])
        #expect(third.papersUnchanged == 1)
        paper = try LitAtomTests.paper(store, "2502.17516")
        #expect(paper.int("version") == 2)
        #expect(paper.string("title") == "A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models")
        #expect(paper.authors.count == 3)
        // Full-text search follows the title.
        #expect(try store.searchPapers("Foundation") == [paper.node])
    }

    @Test func badFilesStoreNothingAndOthersGoIn() throws {
        let (store, dir) = try Fixtures.store()
        let good = dir.appendingPathComponent("good.xml").path
        let bad = dir.appendingPathComponent("bad.xml").path
        let cut = dir.appendingPathComponent("cut.xml").path
        let ok = feed(id: "2502.17516v1", title: "Survey", authors: ["Zihao Lin"])
        try ok.write(toFile: good, atomically: true, encoding: .utf8)
        try feed(id: "2401.00001v1", title: "Other", authors: ["A. Author"]).replacingOccurrences(of: "</title>", with: "</titel>")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        try String(feed(id: "2401.00002v1", title: "Cut", authors: ["B. Author"]).dropLast(30))
            .write(toFile: cut, atomically: true, encoding: .utf8)
        let ingestor = Ingestor(store: store)
        let summary = ingestor.ingest(paths: [dir.path])
        #expect(summary.failedFiles == 2)
        #expect(summary.papersNew == 1)
        let errors = ingestor.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.contains { $0.span?.file == bad && $0.span?.line == 8 && $0.message.contains("mismatch") })
        #expect(errors.contains { $0.span?.file == cut && ($0.span?.line ?? 0) > 10 })
        #expect(try store.count(label: "Paper") == 1)
        #expect(try store.findPaper("2401.00001") == nil)
        #expect(try store.findPaper("2401.00002") == nil)
        #expect(try store.count(label: "Source") == 1)
        #expect(try store.count(label: "Author") == 1)
    }

    /// Atom files are read ahead of the one being stored, across other formats between them; each
    /// still goes in whole, and progress comes from the calling thread only, never going back.
    @Test func atomFilesReadAheadAcrossOtherFormats() throws {
        let (store, root) = try Fixtures.store()
        let dir = root.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ids = (1...3).map { String(format: "2401.%05dv1", $0) }
        for (i, id) in ids.enumerated() {
            try feed(id: id, title: "Paper \(i)", authors: ["Author \(i)"])
                .write(toFile: dir.appendingPathComponent("\(i)-feed.xml").path, atomically: true, encoding: .utf8)
        }
        try "@article{between,\n  title = {Between the feeds},\n  author = {Doe, Jane},\n  year = {2024}\n}\n"
            .write(toFile: dir.appendingPathComponent("1-refs.bib").path, atomically: true, encoding: .utf8)
        let ingestor = Ingestor(store: store)
        let caller = pthread_self()
        var seen: [Int64] = []
        var otherThread = false
        ingestor.onProgress = { progress in
            if pthread_equal(pthread_self(), caller) == 0 { otherThread = true }
            seen.append(progress.bytesDone)
        }
        let summary = ingestor.ingest(paths: [dir.path])
        #expect(ingestor.diagnostics.isEmpty, "\(ingestor.diagnostics)")
        #expect(summary.papersNew == 4)
        for id in ids { #expect(try store.findPaper(id) != nil) }
        #expect(try store.findPaper("between") != nil)
        #expect(!otherThread)
        #expect(seen == seen.sorted())
        #expect(seen.last == summary.bytes)
    }

    @Test func unknownExplicitFileIsAnError() throws {
        let (store, dir) = try Fixtures.store()
        let path = dir.appendingPathComponent("notes.txt").path
        try "just some words\n".write(toFile: path, atomically: true, encoding: .utf8)
        let ingestor = Ingestor(store: store)
        let summary = ingestor.ingest(paths: [path, dir.appendingPathComponent("missing.xml").path])
        #expect(summary.failedFiles == 2)
        #expect(ingestor.diagnostics.map(\.id) == ["ingest.missing", "ingest.unknown-format"])
    }

    @Test func formatDetection() {
        #expect(InputFormat.detect(prefix: Array("<?xml version='1.0'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">".utf8), path: "a.xml") == .atom)
        #expect(InputFormat.detect(prefix: Array("% refs\n@article{key,\n title={x}}".utf8), path: "refs.txt") == .bibtex)
        #expect(InputFormat.detect(prefix: Array("a\tb c\nd\te\n".utf8), path: "cites") == .citations)
        #expect(InputFormat.detect(prefix: Array("methods:\n  - id: probing\n".utf8), path: "t") == .taxonomy)
        #expect(InputFormat.detect(prefix: Array("<html><body>".utf8), path: "x.html") == .unknown)
        #expect(InputFormat.detect(prefix: Array("SQLite format 3\0\t\n@a{".utf8), path: "g.sqlite") == .unknown)
    }
}

@Suite(.enabled(if: Fixtures.generatorAvailable, "../shared/bench/gen_corpus.py or python3 is absent: generated-corpus tests skipped"))
struct GeneratedCorpusTests {
    @Test(arguments: ["classic", "2025"])
    func countsMatchTheManifest(style: String) throws {
        let corpus = try Fixtures.generate(papers: 2000, style: style)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: corpus.appendingPathComponent("manifest.json"))) as? [String: Any])
        let papers = try #require(manifest["papers"] as? Int)
        let pages = try #require(manifest["atom_pages"] as? Int)
        #expect(manifest["atom_style"] as? String == style)

        // Independent counts from the XML text itself.
        var authorships = 0, categories = 0, names = Set<String>(), cats = Set<String>(), dois = 0
        let atomDir = corpus.appendingPathComponent("atom")
        for file in try FileManager.default.contentsOfDirectory(atPath: atomDir.path) {
            let text = try String(contentsOfFile: atomDir.appendingPathComponent(file).path, encoding: .utf8)
            authorships += text.components(separatedBy: "<author>").count - 1
            categories += text.components(separatedBy: "<category term=").count - 1
            dois += text.components(separatedBy: "<arxiv:doi").count - 1
            for part in text.components(separatedBy: "<name>").dropFirst() {
                names.insert(String(part.prefix { $0 != "<" }))
            }
            for part in text.components(separatedBy: "<category term=\"").dropFirst() {
                cats.insert(String(part.prefix { $0 != "\"" }))
            }
        }

        let (store, _) = try Fixtures.store()
        let ingestor = Ingestor(store: store)
        let summary = ingestor.ingest(paths: [atomDir.path])
        #expect(ingestor.diagnostics.isEmpty)
        #expect(summary.files == pages)
        #expect(summary.papersNew == papers)
        #expect(try store.count(label: "Paper") == papers)
        #expect(try store.count(label: "Source") == pages)
        #expect(try store.count(edgeType: "AUTHORED_BY") == authorships)
        #expect(try store.count(edgeType: "IN_CATEGORY") == categories)
        #expect(try store.count(label: "Author") == names.count)
        #expect(try store.count(label: "Category") == cats.count)
        #expect(try store.identValues(kind: "doi").count == dois)

        let again = Ingestor(store: store).ingest(paths: [atomDir.path])
        #expect(again.papersUnchanged == papers && again.papersNew == 0 && again.papersUpdated == 0)
        #expect(try store.count(label: "Paper") == papers)
        #expect(try store.count(edgeType: "AUTHORED_BY") == authorships)
    }

    /// A bulk load (indexes dropped, then built once) stores what a row-by-row load stores, and
    /// leaves every index in place.
    @Test func bulkLoadStoresTheSameGraph() throws {
        let corpus = try Fixtures.generate(papers: 1200, style: "classic", pageSize: 300)
        let atomDir = corpus.appendingPathComponent("atom").path
        let (rowByRow, _) = try Fixtures.store()
        let indexes = try rowByRow.indexNames()
        let single = Ingestor(store: rowByRow)
        single.bulkLoadMinimumBytes = .max
        single.ingest(paths: [atomDir])
        let (bulk, _) = try Fixtures.store()
        let loader = Ingestor(store: bulk)
        loader.bulkLoadMinimumBytes = 0
        let summary = loader.ingest(paths: [atomDir])
        #expect(loader.diagnostics.isEmpty)
        #expect(summary.papersNew == 1200)
        #expect(try bulk.indexNames() == indexes)
        let (bulkStats, bulkPapers) = try snapshot(bulk)
        let (stats, papers) = try snapshot(rowByRow)
        #expect(bulkStats == stats)
        #expect(bulkPapers == papers)
        #expect(try bulk.searchPapers("interpretability", limit: 50) == rowByRow.searchPapers("interpretability", limit: 50))

        // Into a graph that already holds them, the same files change nothing (and load row by row).
        let again = Ingestor(store: bulk)
        again.bulkLoadMinimumBytes = 0
        #expect(again.ingest(paths: [atomDir]).papersUnchanged == 1200)
        #expect(try bulk.indexNames() == indexes)
    }

    /// A bulk load that stops before it builds its indexes again leaves them to the next open.
    @Test func interruptedBulkLoadIndexesReturnOnOpen() throws {
        let (store, dir) = try Fixtures.store()
        let indexes = try store.indexNames()
        try store.deferIndexes()
        #expect(try store.indexNames().count < indexes.count)
        let reopened = try GraphStore(path: dir.appendingPathComponent("graph.sqlite").path)
        #expect(try reopened.indexNames() == indexes)
    }

    /// A new database gets the store's page size; a file made with another keeps its own and opens.
    @Test func newDatabasesGetTheStorePageSize() throws {
        let (store, dir) = try Fixtures.store()
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == Schema.pageSize)
        let older = dir.appendingPathComponent("older.sqlite").path
        let made = try DatabaseQueue(path: older)
        try made.writeWithoutTransaction { try $0.execute(sql: "PRAGMA page_size = 4096; CREATE TABLE t(x); DROP TABLE t") }
        try made.close()
        let reopened = try GraphStore(path: older)
        #expect(try reopened.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 4096)
        #expect(try reopened.count(label: "Paper") == 0)
    }
}
