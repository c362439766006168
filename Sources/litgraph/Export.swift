// `litgraph export …`: the graph out. One subcommand per format, each in its own file.
import ArgumentParser

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the graph out.",
        subcommands: [
            ExportBibTeX.self,
            ExportAliases.self,
        ]
    )
}
