// `litgraph link`: re-reads the taxonomy file(s) the graph was built from and brings every curated
// and lexicon link up to date, so a changed taxonomy takes effect; prints a one-line summary.
import ArgumentParser
import Foundation
import LitIngest
import LitModel
import LitStore

struct Link: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Relink papers to the taxonomy after the taxonomy file changed.",
        discussion: """
            Reads again each taxonomy file that was ingested (its path is recorded in the graph), updates \
            the Method, ModelClass, Application and Gap nodes, and relinks every paper: links the taxonomy \
            no longer supports are removed, new ones are written, unchanged ones stay. Ingesting the \
            taxonomy file again does the same.
            """)

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store: GraphStore
        do {
            store = try GraphStore(path: database.path)
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
        let (summary, diagnostics) = TaxonomyLinker.relink(store: store)
        DiagnosticPrinter.print(diagnostics)
        if let summary { DiagnosticPrinter.printError("linked: " + summary.line) }
        if summary == nil || diagnostics.hasErrors { throw ExitCode(1) }
    }
}
