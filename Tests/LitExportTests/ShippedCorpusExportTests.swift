// Exports of the shipped corpus (Corpus/): every diagram passes the real `dot` without a warning, and
// the BibTeX a query selects compiles through the real `bibtex` without a warning.
import Foundation
import Testing
import LitIngest
import LitQuery
import LitStore
@testable import LitExport

private let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Corpus")

@Suite(.enabled(if: FileManager.default.fileExists(atPath: corpus.appendingPathComponent("corpus.bib").path), "Corpus/ is absent"))
struct ShippedCorpusExportTests {
    func ingested() throws -> (TemporaryStore, GraphStore) {
        let db = try TemporaryStore()
        let ingestor = Ingestor(store: db.store)
        _ = ingestor.ingest(paths: [corpus.path])
        #expect(!ingestor.diagnostics.hasErrors, "\(ingestor.diagnostics.prefix(3))")
        return (db, try QueryEngine.open(path: db.path, readonly: true))
    }

    @Test(.enabled(if: ExternalTools.hasDot, "Graphviz `dot` is not installed: apt-get install graphviz"))
    func everyViewOfTheCorpusLaysOutWithoutWarnings() throws {
        let (_, store) = try ingested()
        for view in DiagramView.allCases {
            let request = DiagramRequest(view: view, around: view == .neighbourhood ? "2502.17516" : nil, depth: 2)
            let text = DOTWriter.write(try Diagram.build(request, from: store))
            #expect(text == DOTWriter.write(try Diagram.build(request, from: store)))
            let result = try ExternalTools.run("dot", ["-Tsvg"], input: text)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(view): \(result.stderr)")
        }
    }

    @Test(.enabled(if: ExternalTools.find("bibtex") != nil, "bibtex is not installed: apt-get install texlive-binaries"))
    func bibtexSelectedByQueryCompiles() throws {
        let (db, store) = try ingested()
        let selection = try PaperSelector.papers(matching: """
            MATCH (p:Paper)-[:USES_METHOD]->(:Method {id: $method}) RETURN p
            """, parameters: ["method": .string("causal-tracing")], on: store)
        #expect(selection.papers.count >= 3)
        let bib = try BibTeXExport.export(store: store, nodes: selection.papers)
        #expect(bib.entries == selection.papers.count)
        let keys = bib.text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("@"), !line.lowercased().hasPrefix("@string"), let brace = line.firstIndex(where: { $0 == "{" || $0 == "(" }),
                  let comma = line.firstIndex(of: ",") else { return nil }
            return String(line[line.index(after: brace)..<comma]).trimmingCharacters(in: .whitespaces)
        }
        #expect(keys.count == bib.entries)
        try bib.text.write(toFile: db.file("refs.bib"), atomically: true, encoding: .utf8)
        try ("\\relax\n" + keys.map { "\\citation{\($0)}\n" }.joined() + "\\bibstyle{plain}\n\\bibdata{refs}\n")
            .write(toFile: db.file("doc.aux"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExternalTools.find("bibtex")!)
        process.arguments = ["doc"]
        process.currentDirectoryURL = db.directory
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let log = try String(contentsOfFile: db.file("doc.blg"), encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(log)")
        // The corpus leaves out author lists it could not verify: bibtex's complaints about those
        // entries come from the data as written, not from the export. Any other warning is ours.
        let warnings = log.split(separator: "\n").filter { $0.contains("Warning--") }
            .filter { !$0.contains("need author or key in") && !$0.contains("empty author in") }
        #expect(warnings.isEmpty && !log.contains("error message"), "\(log)")
        let bbl = try String(contentsOfFile: db.file("doc.bbl"), encoding: .utf8)
        #expect(bbl.components(separatedBy: "\\bibitem").count - 1 == keys.count)
    }
}
