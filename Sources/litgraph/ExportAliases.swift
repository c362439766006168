// `litgraph export aliases [--out FILE]`: every BibTeX key seen → the canonical key of its paper,
// one `alias<TAB>canonical` line each, sorted by alias.
import ArgumentParser
import Foundation
import LitModel
import LitStore

struct ExportAliases: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aliases",
        abstract: "Write every BibTeX key seen with the canonical key of its paper (TSV).")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var out: String?

    func run() throws {
        do {
            let store = try GraphStore(path: database.path, readonly: true)
            var text = ""
            for (alias, canonical) in try store.bibkeyAliases() { text += "\(alias)\t\(canonical)\n" }
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
    }
}
