// `litgraph duplicates`: papers kept apart although they share a title (uncertain matches), with the
// reason, for a person to decide.
import ArgumentParser
import Foundation
import LitIngest
import LitModel
import LitStore

struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List papers that may be the same work but were not merged.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Output format: text or tsv.")
    var format: String = "text"

    func validate() throws {
        guard ["text", "tsv"].contains(format) else { throw ValidationError("--format must be text or tsv") }
    }

    func run() throws {
        do {
            let store = try GraphStore(path: database.path, readonly: true)
            let groups = try Duplicates.find(in: store)
            var text = ""
            for (i, group) in groups.enumerated() {
                for m in group.members {
                    let id = m.key ?? m.arxiv.map { "arXiv:\($0)" } ?? m.doi ?? "node \(m.node)"
                    if format == "tsv" {
                        text += "\(i + 1)\t\(id)\t\(m.year.map(String.init) ?? "")\t\(m.firstFamily ?? "")\t\(group.reason)\t\(m.title)\n"
                    } else {
                        text += "\(i + 1). \(id) (\(m.firstFamily ?? "?"), \(m.year.map(String.init) ?? "?")): \(m.title)\n"
                    }
                }
                if format == "text" { text += "   not merged: \(group.reason)\n" }
            }
            if format == "text" { text += "\(groups.count) group\(groups.count == 1 ? "" : "s") of possible duplicates\n" }
            FileHandle.standardOutput.write(Data(text.utf8))
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
    }
}
