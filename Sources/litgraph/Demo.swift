// `litgraph demo`: the main job. Builds the graph from the shipped Corpus/ into a fresh database,
// prints its statistics and the gap report, and writes the corpus as BibTeX (and a rendered diagram
// when Graphviz is installed) to the output folder. Each step is the corresponding subcommand.
import ArgumentParser
import Foundation
import LitExport
import LitIngest
import LitModel
import LitStore

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the graph of the shipped corpus, show its gaps and export it.",
        discussion: """
            Looks for Corpus/ in the current folder (run it from the repository root), ingests every file \
            in it (BibTeX, citations, taxonomy) into a fresh database, prints the statistics and the gap \
            report, and writes to --out the gap report (Markdown, LaTeX, CSV), the corpus as BibTeX, the \
            gap matrix as Graphviz DOT and, when Graphviz is installed, rendered diagrams.
            """)

    @Option(name: .long, help: ArgumentHelp("The database to build. Default: <out>/litgraph.sqlite, recreated on each run.", valueName: "file"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Folder for the outputs.", valueName: "dir"))
    var out = "litgraph-demo"

    @Option(name: .long, help: ArgumentHelp("The corpus folder.", valueName: "dir"))
    var corpus = "Corpus"

    func run() throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: corpus, isDirectory: &isDir), isDir.boolValue else {
            DiagnosticPrinter.printError("error: no corpus folder '\(corpus)' here; run litgraph demo from the repository root, or pass --corpus DIR")
            throw ExitCode(1)
        }
        do {
            try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            DiagnosticPrinter.printError("error: cannot create the output folder '\(out)': \(error.localizedDescription)")
            throw ExitCode(1)
        }
        let path = db ?? (out as NSString).appendingPathComponent("litgraph.sqlite")
        if fm.fileExists(atPath: path) {
            guard db == nil else {
                DiagnosticPrinter.printError("error: '\(path)' exists; the demo builds a fresh database: remove it or choose another --db")
                throw ExitCode(1)
            }
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
        }

        print("== Building the graph from \(corpus)/ into \(path)")
        let store: GraphStore
        do {
            store = try GraphStore(path: path)
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
        let ingestor = Ingestor(store: store)
        let summary = ingestor.ingest(paths: [corpus])
        DiagnosticPrinter.print(ingestor.diagnostics.filter { $0.severity == .error })
        let warnings = ingestor.diagnostics.filter { $0.severity == .warning }.count
        print(summary.line + (warnings > 0 ? " (warnings: litgraph ingest \(corpus) shows them)" : ""))
        let failed = summary.failedFiles > 0 || ingestor.diagnostics.hasErrors

        print("\n== The graph")
        try Stats.parse(["--db", path]).run()

        print("\n== Gaps")
        try Gaps.parse(["--db", path]).run()

        try exports(database: path)
        if failed { throw ExitCode(1) }
    }

    /// The exports of the demo, each through its subcommand.
    func exports(database path: String) throws {
        print("\n== Outputs in \(out)/")
        for (format, name, what) in [("markdown", "gaps.md", "gap report (Markdown)"), ("latex", "gaps.tex", "gap report (LaTeX, booktabs)"),
                                     ("csv", "gaps.csv", "gap report (CSV)")] {
            let file = (out as NSString).appendingPathComponent(name)
            try write(try Gaps.parse(["--db", path, "--format", format]).output(), to: file)
            print("\(what): \(file)")
        }
        let bib = (out as NSString).appendingPathComponent("corpus.bib")
        try ExportBibTeX.parse(["--db", path, "--out", bib]).run()
        print("the corpus as BibTeX: \(bib)")
        let matrixDOT = (out as NSString).appendingPathComponent("matrix.dot")
        try ExportDOT.parse(["--db", path, "--view", "matrix", "--out", matrixDOT]).run()
        print("the gap matrix as Graphviz DOT: \(matrixDOT)")
        guard GraphvizRenderer.dotExecutable() != nil else {
            print("diagrams: Graphviz's dot is not installed (apt-get install graphviz); render the DOT file elsewhere")
            return
        }
        for view in ["taxonomy", "matrix"] {
            let svg = (out as NSString).appendingPathComponent("\(view).svg")
            try ExportDOT.parse(["--db", path, "--view", view, "--render", "svg", "--out", svg]).run()
            print("diagram (\(view)): \(svg)")
        }
    }

    func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            DiagnosticPrinter.printError("error: cannot write '\(path)': \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
