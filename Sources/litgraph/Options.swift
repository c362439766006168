// Options shared by every subcommand that opens the database.
import ArgumentParser
import LitStore

struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file. Default: $LITGRAPH_DB, else ./litgraph.sqlite.", valueName: "file"))
    var db: String?

    var path: String { GraphStore.defaultPath(explicit: db) }
}
