// `litgraph export json`: the whole graph as JSON, nodes and edges with typed properties.
import ArgumentParser
import LitExport
import LitQuery
import LitStore

struct ExportJSON: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Write the whole graph as JSON: {\"nodes\": [{id, labels, properties}], \"edges\": [{id, type, source, target, properties}]}.")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
    var out: String?

    func run() throws {
        try ExportReport.run {
            let store = try QueryEngine.open(path: database.path, readonly: true)
            let counts = try GraphJSONWriter.write(store, to: try FileOutput(path: out))
            if let out { ExportReport.note("wrote \(out): \(counts.nodes) nodes, \(counts.edges) edges") }
        }
    }
}
