// `litgraph gaps`: the gap report (method × model-class matrix, transfer opportunities, the
// taxonomy's gaps, papers per cell per year) in a terminal table, Markdown, CSV, LaTeX or JSON;
// `--cell METHOD:CLASS` lists the papers behind one number.
import ArgumentParser
import Foundation
import LitExport
import LitModel
import LitQuery
import LitStore

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find gaps: the method × model-class matrix, transfer opportunities and the taxonomy's gaps.",
        discussion: """
            A paper counts in a cell when it is linked to the method (or a specialisation of it) and to the \
            model class (or a specialisation). Transfer opportunities are cells of leaf entries with at most \
            --thin papers whose method has at least --established papers on another model class, ranked by \
            on how many classes and with how many papers the method is established. \
            Example: litgraph gaps --cell sparse-autoencoder:text-to-image-diffusion
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Output format: table, markdown, csv, latex or json.")
    var format: Format = .table

    @Option(name: .long, help: ArgumentHelp("List the papers behind one cell.", valueName: "method:class"))
    var cell: String?

    @Option(name: .long, help: "A cell with at most this many papers is thin.")
    var thin = 1

    @Option(name: .long, help: "A method with at least this many papers on a class is established there.")
    var established = 2

    @Option(name: .long, help: "Show at most this many transfer opportunities.")
    var top = 15

    @Option(name: .long, help: ArgumentHelp("Folder of the saved gap queries (gap-taxonomy, gap-matrix, gap-cell, gap-status .cypher). Default: ./Queries when present, else the built-in copies.", valueName: "dir"))
    var queries: String?

    /// The folder whose gap queries override the built-in ones.
    var queryFolder: String? {
        if let queries { return queries }
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: "Queries", isDirectory: &isDir) && isDir.boolValue ? "Queries" : nil
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, markdown, csv, latex, json
        var report: GapReportFormat { GapReportFormat(rawValue: rawValue)! }
    }

    func validate() throws {
        if let cell, cell.split(separator: ":").count != 2 {
            throw ValidationError("--cell takes METHOD:CLASS, e.g. sparse-autoencoder:contrastive-vlm")
        }
        if thin < 0 || established < 1 || top < 0 { throw ValidationError("--thin, --established and --top must be positive") }
    }

    func run() throws {
        print(try output(), terminator: "")
    }

    /// The report (or the cell's papers) as text in the chosen format.
    func output() throws -> String {
        do {
            let store = try QueryEngine.open(path: database.path)
            let builder = GapReportBuilder(data: try GapData.query(store, queries: queryFolder))
            if builder.data.methods.isEmpty && builder.data.modelClasses.isEmpty {
                DiagnosticPrinter.printError("error: the graph has no taxonomy; ingest one first (litgraph ingest Corpus/taxonomy.yaml)")
                throw ExitCode(1)
            }
            if let cell {
                let parts = cell.split(separator: ":").map(String.init)
                guard let papers = try builder.papers(method: parts[0], modelClass: parts[1]) else {
                    let methods = builder.data.methods.map(\.id), classes = builder.data.modelClasses.map(\.id)
                    if !methods.contains(parts[0]) {
                        DiagnosticPrinter.printError("error: unknown method '\(parts[0])'; methods: \(methods.joined(separator: ", "))")
                    } else {
                        DiagnosticPrinter.printError("error: unknown model class '\(parts[1])'; model classes: \(classes.joined(separator: ", "))")
                    }
                    throw ExitCode(1)
                }
                return GapReportWriter.writeCell(method: parts[0], modelClass: parts[1], papers: papers, format: format.report)
            }
            let report = builder.report(thin: thin, established: established, top: top)
            return GapReportWriter.write(report, format: format.report)
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
    }
}
