// The `litgraph` command: a thin root that names the subcommands. Each subcommand lives in its own
// file, parses its flags, calls one library stage and prints; no logic here.
import ArgumentParser

@main
struct Litgraph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "litgraph",
        abstract: "Turn a field's literature into a knowledge graph you can query, export and draw.",
        subcommands: [
            Ingest.self,
            Stats.self,
            Show.self,
            Query.self,
            Export.self,
            DuplicatesCommand.self,
            Link.self,
            Explain.self,
            Gaps.self,
            Demo.self,
        ]
    )
}
