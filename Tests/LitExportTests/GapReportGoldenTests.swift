// Golden outputs of the gap report in every format, on a small fixed graph: eight papers with curated
// links only, titles with characters each format must escape. Re-record with LITGRAPH_RECORD_GOLDEN=1
// and review the diff.
import Foundation
import LitExport
import LitIngest
import LitModel
import LitQuery
import LitStore
import Testing

let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

let gapTaxonomy = """
methods:
  - id: intervention
    name: Causal intervention
  - id: causal-tracing
    name: Causal tracing
    parent: intervention
  - id: steering
    name: Steering vectors
    parent: intervention
  - id: sae
    name: Sparse autoencoders
  - id: probing
    name: Probing
model_classes:
  - id: vlm
    name: Vision-language models
  - id: contrastive-vlm
    name: Contrastive VLMs
    parent: vlm
  - id: generative-vlm
    name: Generative VLMs
    parent: vlm
  - id: t2i
    name: Text-to-image diffusion
  - id: llm
    name: LLMs
gaps:
  - id: sae-t2i
    name: SAEs on diffusion models
    concerns: [sae, t2i]
  - id: circuits
    name: Circuits & wiring barely explored
    concerns: [causal-tracing]
papers:
  - paper: a2022
    methods: [causal-tracing]
    model_classes: [llm]
  - paper: b2023
    methods: [causal-tracing, sae]
    model_classes: [llm]
  - paper: c2023
    methods: [causal-tracing]
    model_classes: [generative-vlm]
  - paper: d2024
    methods: [sae]
    model_classes: [llm, contrastive-vlm]
  - paper: e2024
    methods: [sae]
    model_classes: [contrastive-vlm]
    gaps: [sae-t2i]
  - paper: f2024
    methods: [steering]
    model_classes: [t2i]
  - paper: g2025
    methods: [probing, sae]
    model_classes: [t2i]
    gaps: [sae-t2i]
  - paper: h2025
    methods: [probing]
    model_classes: [vlm]

"""

/// (key, arXiv id, year, title): titles exercise escaping in every format.
let gapPapers: [(String, String, Int, String)] = [
    ("a2022", "2201.00001", 2022, "Locating facts in GPT-2"),
    ("b2023", "2301.00002", 2023, "Tracing & decomposing: 100% of \"features\""),
    ("c2023", "2302.00003", 2023, "Patching LLaVA, layer_by_layer"),
    ("d2024", "2401.00004", 2024, "Sparse autoencoders for CLIP | and LLMs"),
    ("e2024", "2402.00005", 2024, "Dictionary features in $CLIP$ {vision} #1"),
    ("f2024", "2403.00006", 2024, "Steering Stable Diffusion ~ gently"),
    ("g2025", "2501.00007", 2025, "Probing and SAEs for diffusion <U-Net>"),
    ("h2025", "2502.00008", 2025, "Probes for vision-language models"),
]

func buildGapGraph() throws -> (GraphStore, URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-gaps-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = try QueryEngine.open(path: folder.appendingPathComponent("graph.sqlite").path)
    try store.writeSession(source: SourceFile(path: folder.appendingPathComponent("p.bib").path, format: "bibtex")) { w in
        for (k, p) in gapPapers.enumerated() {
            var r = WorkRecord(via: "bibtex", line: k + 1)
            r.bibKey = p.0
            r.arxiv = ArxivID(p.1)
            r.year = p.2
            r.title = p.3
            r.authors = [PersonName(display: "Ada Lovelace", family: "Lovelace", given: "Ada")]
            try w.upsert(r, into: w.resolve(r))
        }
    }
    let taxonomy = folder.appendingPathComponent("taxonomy.yaml")
    try gapTaxonomy.write(to: taxonomy, atomically: true, encoding: .utf8)
    let (summary, diagnostics) = TaxonomyLinker.ingest(path: taxonomy.path, into: store)
    precondition(summary != nil && diagnostics.isEmpty, "fixed graph failed to build: \(diagnostics)")
    return (store, folder)
}

func checkGolden(_ name: String, _ text: String) throws {
    let url = goldenFolder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["LITGRAPH_RECORD_GOLDEN"] != nil {
        try FileManager.default.createDirectory(at: goldenFolder, withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "\(name) differs from its golden file; re-record with LITGRAPH_RECORD_GOLDEN=1 and review the diff")
}

@Suite(.serialized) struct GapReportGoldenTests {
    @Test(arguments: GapReportFormat.allCases)
    func reportInEveryFormat(format: GapReportFormat) throws {
        let (store, folder) = try buildGapGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = GapReportBuilder(data: try GapData.read(from: store)).report()
        let ext = ["table": "txt", "markdown": "md", "csv": "csv", "latex": "tex", "json": "json"][format.rawValue]!
        try checkGolden("gaps.\(ext)", GapReportWriter.write(report, format: format))
    }

    @Test(arguments: GapReportFormat.allCases)
    func cellInEveryFormat(format: GapReportFormat) throws {
        let (store, folder) = try buildGapGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        let builder = GapReportBuilder(data: try GapData.read(from: store))
        let papers = try #require(try builder.papers(method: "sae", modelClass: "vlm"))
        let ext = ["table": "txt", "markdown": "md", "csv": "csv", "latex": "tex", "json": "json"][format.rawValue]!
        try checkGolden("cell-sae-vlm.\(ext)", GapReportWriter.writeCell(method: "sae", modelClass: "vlm", papers: papers, format: format))
    }

    /// The saved queries in Queries/ give the same report as the store's own reads, and the repository's
    /// query files are the built-in texts.
    @Test func savedQueriesGiveTheSameReport() throws {
        let (store, folder) = try buildGapGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        let queries = goldenFolder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Queries").path
        for name in GapQueries.names {
            let file = try String(contentsOfFile: (queries as NSString).appendingPathComponent(name + ".cypher"), encoding: .utf8)
            #expect(file == GapQueries.builtIn[name], "Queries/\(name).cypher differs from the built-in copy")
        }
        let viaQueries = GapReportBuilder(data: try GapData.query(store, queries: queries)).report()
        let viaStore = GapReportBuilder(data: try GapData.read(from: store)).report()
        #expect(viaQueries == viaStore)
        #expect(viaQueries.methods.count == 5 && viaQueries.gaps.count == 2)
    }

    /// The gap-cell query lists the papers the store's reads give, for every cell of the fixed graph
    /// (specialisations of the method and of the class included).
    @Test func savedCellQueryGivesTheStorePapers() throws {
        let (store, folder) = try buildGapGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        let viaQueries = GapReportBuilder(data: try GapData.query(store)), viaStore = GapReportBuilder(data: try GapData.read(from: store))
        var nonEmpty = 0
        for m in viaStore.data.methods {
            for c in viaStore.data.modelClasses {
                let expected = try viaStore.papers(method: m.id, modelClass: c.id)
                #expect(try viaQueries.papers(method: m.id, modelClass: c.id) == expected, "\(m.id) × \(c.id)")
                if !(expected ?? []).isEmpty { nonEmpty += 1 }
            }
        }
        #expect(nonEmpty >= 5)
    }

    /// The numbers a reader checks by hand on the fixed graph.
    @Test func numbersOfTheFixedGraph() throws {
        let (store, folder) = try buildGapGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        let builder = GapReportBuilder(data: try GapData.read(from: store))
        let r = builder.report()
        func count(_ m: String, _ c: String) -> Int {
            r.matrix[r.methods.firstIndex { $0.id == m }!][r.modelClasses.firstIndex { $0.id == c }!]
        }
        #expect(count("causal-tracing", "llm") == 2)
        #expect(count("intervention", "llm") == 2)       // roll-up of causal-tracing and steering
        #expect(count("intervention", "t2i") == 1)
        #expect(count("sae", "vlm") == 2)                // d2024 and e2024 via contrastive-vlm
        #expect(count("sae", "contrastive-vlm") == 2)
        #expect(count("probing", "vlm") == 1)            // h2025 linked to vlm itself
        #expect(count("probing", "contrastive-vlm") == 0)
        // sae × generative-vlm is empty while SAEs are established on llm (2) and contrastive-vlm (2).
        let top = try #require(r.opportunities.first)
        #expect(top.method == "sae" && top.modelClass == "generative-vlm" && top.papers == 0)
        #expect(top.establishedOn == ["contrastive-vlm", "llm"] && top.papersElsewhere == 4)
        #expect(r.gaps.map(\.status) == ["addressed", "open"])
        #expect(r.gaps[0].papers.map(\.key) == ["g2025", "e2024"])
        #expect(r.years == [2022, 2023, 2024, 2025])
        #expect(try builder.papers(method: "sae", modelClass: "vlm")?.map(\.key) == ["e2024", "d2024"])  // same year: by title
        #expect(try builder.papers(method: "nope", modelClass: "vlm") == nil)
    }
}

/// The LaTeX output compiles with the real pdflatex (booktabs rules stand in as \hline when the
/// booktabs package is not installed).
@Suite struct GapReportLaTeXTests {
    @Test func latexCompiles() throws {
        guard let pdflatex = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("skipping: pdflatex is not installed")
            return
        }
        let (store, folder) = try buildGapGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        let builder = GapReportBuilder(data: try GapData.read(from: store))
        let body = GapReportWriter.write(builder.report(), format: .latex)
            + "\n\n" + GapReportWriter.writeCell(method: "sae", modelClass: "vlm", papers: try builder.papers(method: "sae", modelClass: "vlm")!, format: .latex)
        let document = """
            \\documentclass{article}
            \\usepackage[T1]{fontenc}
            \\usepackage{graphicx}
            \\IfFileExists{booktabs.sty}{\\usepackage{booktabs}}{\\newcommand{\\toprule}{\\hline}\\newcommand{\\midrule}{\\hline}\\newcommand{\\bottomrule}{\\hline}}
            \\begin{document}
            \(body)
            \\end{document}
            """
        try document.write(to: folder.appendingPathComponent("gaps.tex"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdflatex)
        process.arguments = ["-interaction=nonstopmode", "-halt-on-error", "gaps.tex"]
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(log.suffix(1500))")
        #expect(!log.contains("Missing character"))
    }
}
