// `litgraph export neo4j`: CSV files in the layout of `neo4j-admin database import`, plus the
// command that imports them.
import ArgumentParser
import LitExport
import LitQuery
import LitStore

struct ExportNeo4j: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neo4j",
        abstract: "Write the graph as CSV files for `neo4j-admin database import` (with import.sh).")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: ArgumentHelp("The folder to write (created when missing).", valueName: "dir"))
    var out: String

    func run() throws {
        try ExportReport.run {
            let store = try QueryEngine.open(path: database.path, readonly: true)
            let summary = try Neo4jCSVWriter.write(store, toDirectory: out)
            for file in summary.files { print("\(file.name)\t\(file.rows)") }
            ExportReport.note("wrote \(summary.files.count) files to \(out): \(summary.nodes) nodes, \(summary.relationships) relationships; import with \(out)/import.sh")
        }
    }
}
