// `litgraph export graphml`: the whole graph as GraphML for Gephi, yEd, Cytoscape or Neo4j.
import ArgumentParser
import LitExport
import LitQuery
import LitStore

struct ExportGraphML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graphml",
        abstract: "Write the whole graph as GraphML (labels in 'labels', edge types in 'label').")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
    var out: String?

    func run() throws {
        try ExportReport.run {
            let store = try QueryEngine.open(path: database.path, readonly: true)
            let counts = try GraphMLWriter.write(store, to: try FileOutput(path: out))
            if let out { ExportReport.note("wrote \(out): \(counts.nodes) nodes, \(counts.edges) edges") }
        }
    }
}
