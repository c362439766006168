// `litgraph ingest PATH…`: reads files and folders into the graph, one transaction per file, and
// prints a one-line summary; diagnostics on stderr, exit status 1 when any file failed.
import ArgumentParser
import Foundation
import LitIngest
import LitModel
import LitStore

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read arXiv Atom feeds, BibTeX files and citation tables into the graph.",
        discussion: """
            PATHs are files or folders (walked recursively). The format of each file is detected from \
            its content. Each file is stored in one transaction: a file with an error leaves nothing \
            behind, and the other files still go in. Re-ingesting a file changes nothing; a newer \
            version of a paper updates it.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("Files or folders to ingest.", valueName: "path"))
    var paths: [String]

    @Flag(name: .long, help: "Print no summary line.")
    var quiet = false

    @Option(name: .customLong("cited-by"), help: ArgumentHelp("The paper (BibTeX key, arXiv id or DOI) whose reference list the .bib inputs are: it cites every entry.", valueName: "key"))
    var citedBy: String?

    func run() throws {
        let store: GraphStore
        do {
            store = try GraphStore(path: database.path)
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
        let ingestor = Ingestor(store: store)
        ingestor.citedBy = citedBy
        let bar = ProgressBar(totalBytes: paths.reduce(0) { $0 + ProgressBar.size(of: $1) })
        if bar.enabled {
            ingestor.onProgress = { bar.update(done: $0.bytesDone, total: $0.bytesTotal) }
        }
        let summary = ingestor.ingest(paths: paths)
        bar.finish()
        DiagnosticPrinter.print(ingestor.diagnostics)
        if !quiet { DiagnosticPrinter.printError(summary.line) }
        if summary.failedFiles > 0 || ingestor.diagnostics.hasErrors { throw ExitCode(1) }
    }
}

/// A one-line progress bar on stderr, shown only when stderr is a terminal and the input is large.
final class ProgressBar {
    let enabled: Bool
    private var lastDrawn = -1

    init(totalBytes: Int64) {
        enabled = isatty(2) == 1 && totalBytes > 4 << 20
    }

    static func size(of path: String) -> Int64 {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return 0 }
        if !isDir.boolValue { return ((try? fm.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0 }
        var total: Int64 = 0
        if let walker = fm.enumerator(atPath: path) {
            while let rel = walker.nextObject() as? String {
                if let attrs = walker.fileAttributes, attrs[.type] as? FileAttributeType == .typeRegular {
                    total += (attrs[.size] as? NSNumber)?.int64Value ?? 0
                } else if walker.fileAttributes == nil {
                    total += size(of: (path as NSString).appendingPathComponent(rel))
                }
            }
        }
        return total
    }

    func update(done: Int64, total: Int64) {
        guard enabled, total > 0 else { return }
        let percent = Int(min(100, done * 100 / total))
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 40
        let filled = width * percent / 100
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            + "] \(percent)% \(done >> 20)/\(total >> 20) MB"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 70) + "\r").utf8))
    }
}
