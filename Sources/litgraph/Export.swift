// `litgraph export …`: the graph out, as diagrams, files for other graph tools and BibTeX. One
// subcommand per format, each in its own file (`Export<Format>.swift`); this file names them and
// holds what they share: the paper selection flags and the reporting of diagnostics.
import ArgumentParser
import Foundation
import LitExport
import LitModel
import LitQuery
import LitStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the graph out: Graphviz diagrams, GraphML, JSON, Neo4j CSV, BibTeX.",
        subcommands: [
            ExportDOT.self,
            ExportGraphML.self,
            ExportJSON.self,
            ExportNeo4j.self,
            ExportBibTeX.self,
            ExportAliases.self,
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
    /// `store` must be opened with `QueryEngine.open` when a query selects.
    func select(in store: GraphStore) throws -> PaperSelection? {
        let selection: PaperSelection
        if let citeKeys {
            selection = try PaperSelector.citedIn(auxFile: citeKeys, store: store)
        } else if let query {
            let source = try QuerySource.resolve(query)
            let (text, file) = (source.text, source.file)
            var values: [String: CypherValue] = [:]
            for p in parameters {
                let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--param expects name=value, got '\(p)'") }
                values[parts[0]] = ResultFormatter.parameterValue(parts[1])
            }
            do {
                selection = try PaperSelector.papers(matching: text, parameters: values,
                                                     description: file == "<query>" ? nil : "\(query) (\(file))", on: store)
            } catch let error as QueryError {
                ExportReport.note(error.diagnostic(source: text, file: file).rendered(source: text))
                throw ExitCode.failure
            }
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
        DiagnosticPrinter.print(diagnostics)
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
