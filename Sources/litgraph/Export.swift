// `litgraph export …`: the graph out, as diagrams, files for other graph tools and BibTeX. One
// subcommand per format, each in its own file (`Export<Format>.swift`); this file names them and
// holds what they share: the paper selection flags and the reporting of diagnostics.
import ArgumentParser
import Foundation
import LitExport
import LitModel
import LitStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the graph out: Graphviz diagrams, GraphML, JSON, Neo4j CSV.",
        subcommands: [
            ExportDOT.self,
            ExportGraphML.self,
            ExportJSON.self,
            ExportNeo4j.self,
        ]
    )
}

/// Flags that restrict an export to some papers. Without any of them, every paper is exported.
struct PaperSelectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Papers a query returns: 'MATCH (p:Paper) … RETURN p', a .cypher file, or NAME for Queries/NAME.cypher.", valueName: "query"))
    var query: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A query parameter, name=value (JSON values accepted); repeatable.", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: .customLong("cite-keys"), help: ArgumentHelp("Papers a LaTeX document cites: its .aux file (old keys resolve through every BibTeX key seen).", valueName: "file.aux"))
    var citeKeys: String?

    func validate() throws {
        if query != nil && citeKeys != nil { throw ValidationError("give --query or --cite-keys, not both") }
        if query == nil && !parameters.isEmpty { throw ValidationError("--param needs --query") }
    }

    /// The selected papers, or nil when no flag restricts the export. Warnings are printed.
    func select(in store: GraphStore) throws -> PaperSelection? {
        let selection: PaperSelection
        if let citeKeys {
            selection = try PaperSelector.citedIn(auxFile: citeKeys, store: store)
        } else if let query {
            _ = query
            throw Diagnostic.error("export.query.unavailable", "selecting papers by query needs the query engine, which this build does not have yet",
                                   notes: ["select with --cite-keys FILE.aux meanwhile"])
        } else {
            return nil
        }
        ExportReport.print(selection.diagnostics)
        return selection
    }
}

/// Prints diagnostics on stderr and turns a failed export into a non-zero exit.
enum ExportReport {
    static func print(_ diagnostics: [Diagnostic]) {
        for d in diagnostics {
            var source: String? = nil
            if let span = d.span, let data = FileManager.default.contents(atPath: span.file) {
                source = String(decoding: data, as: UTF8.self)
            }
            note(d.rendered(source: source))
        }
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs an export; a diagnostic it throws is printed and the command exits with status 1.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let diagnostic as Diagnostic {
            print([diagnostic])
            throw ExitCode.failure
        }
    }
}
