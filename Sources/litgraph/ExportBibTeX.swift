// `litgraph export bibtex [--keys …] [--out FILE] [--utf8]`: papers as a .bib file that bibtex and
// biber accept; entries from .bib files come back byte for byte.
import ArgumentParser
import Foundation
import LitExport
import LitModel
import LitQuery
import LitStore

struct ExportBibTeX: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bibtex",
        abstract: "Write papers as BibTeX.",
        discussion: """
            Entries that came from a .bib file are written exactly as they came, with the @string \
            definitions they use. Other papers (from arXiv Atom) are generated as @misc or @article with \
            eprint, archivePrefix, primaryClass, doi and url; keys look like lin2025survey and stay the \
            same from run to run. Non-ASCII text is escaped for bibtex unless --utf8 (for biber).
            """)

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var selection: PaperSelectionOptions

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Only these papers: BibTeX keys, arXiv ids or DOIs (space or comma separated).", valueName: "key"))
    var keys: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "Keep non-ASCII text as UTF-8 (for biber) instead of LaTeX escapes.")
    var utf8 = false

    func validate() throws {
        if !keys.isEmpty && (selection.query != nil || selection.citeKeys != nil) {
            throw ValidationError("give --keys, --query or --cite-keys, not more than one")
        }
    }

    func run() throws {
        do {
            // Opened through the query engine: a --query selection runs Cypher on it.
            let store = try QueryEngine.open(path: database.path, readonly: true)
            let wanted = keys.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                .filter { !$0.isEmpty }
            let selected = try selection.select(in: store)
            let result = try BibTeXExport.export(store: store, keys: wanted.isEmpty ? nil : wanted,
                                                 nodes: selected?.papers, utf8: utf8)
            DiagnosticPrinter.print(result.diagnostics)
            if let out {
                try result.bytes.withUnsafeBytes { bytes in
                    // Written from the buffer in place, not copied into a Data first.
                    try Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!),
                             count: bytes.count, deallocator: .none).write(to: URL(fileURLWithPath: out))
                }
                DiagnosticPrinter.printError("\(result.entries) entries (\(result.verbatim) as written, \(result.generated) generated) to \(out)")
            } else {
                result.bytes.withUnsafeBytes { bytes in
                    FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!),
                                                         count: bytes.count, deallocator: .none))
                }
            }
            if result.diagnostics.hasErrors { throw ExitCode(1) }
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
    }
}
