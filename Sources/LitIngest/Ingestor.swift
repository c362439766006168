// The ingest stage: expands paths (files, folders recursively), detects each file's format from its
// content, and hands it to the format's reader with one store transaction per file. A file with an
// error leaves nothing behind; the other files still go in. Diagnostics and counts are collected.
import Foundation
import LitAtom
import LitModel
import LitStore

/// Input formats recognised from a file's first bytes.
public enum InputFormat: String, Sendable, CaseIterable {
    case atom, bibtex, citations, taxonomy, unknown

    /// Guesses the format from the start of a file's content (its extension only breaks ties).
    ///
    ///     InputFormat.detect(prefix: Array("<?xml version=\"1.0\"?><feed …".utf8), path: "p.xml")  // .atom
    public static func detect(prefix: [UInt8], path: String) -> InputFormat {
        // Binary files (databases, images, archives) hold NUL bytes; text formats never do.
        if prefix.contains(0) { return .unknown }
        var text = String(decoding: prefix, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let trimmed = text.drop(while: { $0.isWhitespace })
        let ext = (path as NSString).pathExtension.lowercased()
        if trimmed.hasPrefix("<") {
            if text.contains("http://www.w3.org/2005/Atom") || text.contains("<feed") { return .atom }
            return .unknown
        }
        if ext == "bib" || text.range(of: #"(?m)^\s*@[A-Za-z]+\s*[{(]"#, options: .regularExpression) != nil {
            return .bibtex
        }
        if ext == "yaml" || ext == "yml" { return .taxonomy }
        if ext == "tsv" { return .citations }
        let lines = text.split(separator: "\n", maxSplits: 5).dropLast(text.count >= prefix.count ? 1 : 0)
        if !lines.isEmpty, lines.allSatisfy({ $0.contains("\t") }) { return .citations }
        if text.range(of: #"(?m)^(taxonomy|methods|model_classes|applications|gaps|papers)\s*:"#,
                      options: .regularExpression) != nil {
            return .taxonomy
        }
        return .unknown
    }
}

/// Counts of one ingest run.
public struct IngestSummary: Sendable, Equatable {
    public var files = 0
    public var failedFiles = 0
    public var skippedFiles = 0
    public var papersNew = 0
    public var papersUpdated = 0
    public var papersUnchanged = 0
    public var entriesSkipped = 0
    public var citations = 0
    public var errors = 0
    public var warnings = 0
    public var bytes: Int64 = 0
    /// Taxonomy files stored in this run, and what the last link did.
    public var taxonomies = 0
    public var link: LinkSummary?

    public init() {}

    /// `3 files: 120 papers new, 4 updated, 0 unchanged; 1 error`
    public var line: String {
        var text = "\(files) file\(files == 1 ? "" : "s"): \(papersNew) paper\(papersNew == 1 ? "" : "s") new, "
            + "\(papersUpdated) updated, \(papersUnchanged) unchanged"
        if entriesSkipped > 0 { text += ", \(entriesSkipped) skipped" }
        if citations > 0 { text += ", \(citations) citation\(citations == 1 ? "" : "s")" }
        if skippedFiles > 0 { text += "; \(skippedFiles) other file\(skippedFiles == 1 ? "" : "s") skipped" }
        text += "; \(errors) error\(errors == 1 ? "" : "s")"
        if warnings > 0 { text += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
        if failedFiles > 0 { text += " (\(failedFiles) file\(failedFiles == 1 ? "" : "s") not stored)" }
        if let link { text += "\nlinked: " + link.line }
        return text
    }
}

/// Progress through a run: bytes done of the total over all inputs.
public struct IngestProgress: Sendable {
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var file: String
    public var papers: Int
}

/// Ingests files into a store.
///
///     let ingestor = Ingestor(store: store)
///     let report = ingestor.ingest(paths: ["feeds/"])
public final class Ingestor {
    public let store: GraphStore
    /// Called now and then with the run's progress, always on the thread that called `ingest`.
    public var onProgress: ((IngestProgress) -> Void)?
    public private(set) var diagnostics: [Diagnostic] = []
    public internal(set) var summary = IngestSummary()
    let cache = InternCache()
    /// With a .bib input: the paper (key, arXiv id or DOI) that cites every entry of it.
    public var citedBy: String?
    /// The thread reading the run's Atom files, in the order they are stored.
    private var atomReader: AtomReadAhead?

    public init(store: GraphStore) {
        self.store = store
    }

    /// One input file found under the given paths.
    struct Input {
        var path: String
        var size: Int64
        /// Named on the command line (an unknown format is then an error, not a skip).
        var explicit: Bool
    }

    /// Ingests every file under `paths` (files, or folders walked recursively in name order).
    /// Returns the summary; `diagnostics` holds what went wrong.
    @discardableResult
    public func ingest(paths: [String]) -> IngestSummary {
        let inputs = Self.taxonomiesLast(expand(paths))
        let formats = inputs.map(Self.format(of:))
        let total = inputs.reduce(Int64(0)) { $0 + $1.size }
        var bulk = bulkLoad(inputs, formats)
        let atomPaths = zip(inputs, formats).filter { $0.1 == .atom }.map(\.0.path)
        atomReader = atomPaths.isEmpty ? nil : AtomReadAhead(paths: atomPaths)
        defer {
            atomReader?.finish()
            atomReader = nil
        }
        var done: Int64 = 0
        for (input, format) in zip(inputs, formats) {
            // A bulk load covers the Atom files; the other formats' writers read the indexes it defers.
            if bulk == .planned, format == .atom { bulk = deferIndexes() ? .active : .over }
            if bulk == .active, format == .bibtex || format == .citations || format == .taxonomy {
                bulk = restoreIndexes()
            }
            ingestFile(input, format: format, before: done, total: total)
            done += input.size
            onProgress?(IngestProgress(bytesDone: done, bytesTotal: total, file: input.path,
                                       papers: summary.papersNew + summary.papersUpdated + summary.papersUnchanged))
        }
        if bulk == .active { bulk = restoreIndexes() }
        relinkAfterRun()
        return summary
    }

    /// Atom input (bytes, estimated new nodes per byte) from which a run loads in bulk: see
    /// `GraphStore.deferIndexes`. A paper of an arXiv feed takes about 1.8 KB and brings about
    /// 2.5 nodes (itself and new authors).
    public var bulkLoadMinimumBytes: Int64 = 32 << 20
    static let atomBytesPerNode: Int64 = 700

    private enum BulkLoad { case no, planned, active, over }

    /// Whether this run's Atom input is large enough, against the graph already stored, for the
    /// indexes to be built once at the end rather than kept up row by row.
    private func bulkLoad(_ inputs: [Input], _ formats: [InputFormat?]) -> BulkLoad {
        let atomBytes = zip(inputs, formats).reduce(Int64(0)) { $0 + ($1.1 == .atom ? $1.0.size : 0) }
        guard atomBytes > 0, atomBytes >= bulkLoadMinimumBytes else { return .no }
        guard let existing = try? store.nodeCountEstimate() else { return .no }
        return atomBytes / Self.atomBytesPerNode >= Int64(existing) ? .planned : .no
    }

    private func deferIndexes() -> Bool {
        do {
            try store.deferIndexes()
            return true
        } catch {
            report(.warning("store.bulk", "cannot defer the store's indexes for a bulk load (\(error)); loading row by row"))
            return false
        }
    }

    private func restoreIndexes() -> BulkLoad {
        do {
            try store.restoreIndexes()
        } catch {
            report(.error("store.index", "cannot rebuild the store's indexes after a bulk load: \(error); "
                          + "they are rebuilt when the database is next opened for writing"))
        }
        return .over
    }

    /// The format of a file from its first bytes; nil when it cannot be read.
    static func format(of input: Input) -> InputFormat? {
        guard let handle = FileHandle(forReadingAtPath: input.path) else { return nil }
        let prefix = (try? handle.read(upToCount: 4096)) ?? Data()
        try? handle.close()
        return InputFormat.detect(prefix: [UInt8](prefix), path: input.path)
    }

    /// Files under `paths`, folders walked recursively, hidden entries skipped, sorted by path.
    func expand(_ paths: [String]) -> [Input] {
        var out: [Input] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                report(.error("ingest.missing", "no such file or folder: '\(path)'"))
                summary.failedFiles += 1
                continue
            }
            if !isDir.boolValue {
                out.append(Input(path: path, size: Self.size(of: path), explicit: true))
                continue
            }
            var found: [String] = []
            if let walker = fm.enumerator(atPath: path) {
                while let rel = walker.nextObject() as? String {
                    let name = (rel as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        walker.skipDescendants()
                        continue
                    }
                    let full = (path as NSString).appendingPathComponent(rel)
                    var sub: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue { found.append(full) }
                }
            }
            for file in found.sorted() { out.append(Input(path: file, size: Self.size(of: file), explicit: false)) }
        }
        return out
    }

    static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
        switch diagnostic.severity {
        case .error: summary.errors += 1
        case .warning: summary.warnings += 1
        case .note: break
        }
    }

    private func ingestFile(_ input: Input, format: InputFormat?, before done: Int64, total: Int64) {
        guard let format else {
            report(.error("ingest.unreadable", "cannot read '\(input.path)'"))
            summary.failedFiles += 1
            return
        }
        switch format {
        case .atom:
            ingestAtom(input, before: done, total: total)
        case .bibtex:
            ingestBibTeX(input, before: done, total: total)
        case .citations:
            ingestCitations(input, before: done, total: total)
        case .taxonomy:
            ingestTaxonomy(input)
        case .unknown:
            if input.explicit {
                report(.error("ingest.unknown-format",
                              "cannot tell the format of '\(input.path)' (expected an arXiv Atom feed, BibTeX, a citations table or a taxonomy)",
                              at: SourceSpan(file: input.path, line: 1, column: 1)))
                summary.failedFiles += 1
            } else {
                summary.skippedFiles += 1
            }
        }
    }

    /// The path recorded on Source nodes and edges: absolute and standardised.
    static func storedPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Thrown inside a session to roll the file back.
    private struct Rollback: Error {}

    /// Records per batch handed from the reading thread to the writing thread, and batches queued.
    static let atomBatchSize = 256
    static let atomBatchesQueued = 4

    /// Stores an Atom file, in one transaction, from the records the run's reading thread
    /// (`AtomReadAhead`) prepared for it. The transaction commits only after the whole file was read
    /// without error; meanwhile the reading thread already reads the next file.
    private func ingestAtom(_ input: Input, before done: Int64, total: Int64) {
        var counts = (new: 0, updated: 0, unchanged: 0)
        guard let file = atomReader?.next(), file.path == input.path else {
            preconditionFailure("the Atom files are read in the order they are stored")
        }
        let source = SourceFile(path: Self.storedPath(input.path), format: "atom")
        var result = AtomReadResult()
        var committed = false
        do {
            try store.writeSession(source: source, cache: cache) { writer in
                do {
                    var next = file.pipe.take()
                    while let batch = next {
                        for prepared in batch {
                            let outcome = try writer.upsert(prepared, into: writer.resolve(prepared))
                            switch outcome.outcome {
                            case .created: counts.new += 1
                            case .updated: counts.updated += 1
                            case .unchanged: counts.unchanged += 1
                            }
                        }
                        onProgress?(IngestProgress(bytesDone: done + file.bytesRead, bytesTotal: total, file: input.path,
                                                   papers: summary.papersNew + summary.papersUpdated + summary.papersUnchanged
                                                       + counts.new + counts.updated + counts.unchanged))
                        // Freed on the reading thread, which has time to spare.
                        atomReader?.recycle(batch)
                        next = file.pipe.take()
                    }
                } catch {
                    file.pipe.cancel()
                    throw error
                }
                // The pipe closes once the file is read: its result is final.
                if let error = file.error { throw error }
                result = file.result
                if result.diagnostics.hasErrors { throw Rollback() }
                writer.sha256 = result.sha256
            }
            committed = true
        } catch is Rollback {
            // Reported below; nothing of the file was stored.
        } catch let diagnostic as Diagnostic {
            result.diagnostics.append(diagnostic)
        } catch {
            result.diagnostics.append(.error("store.write", "cannot store '\(input.path)': \(error)",
                                             at: SourceSpan(file: input.path, line: 1, column: 1)))
        }
        // The nodes interned for the run's name numbers stay only if the file's transaction committed.
        if committed { atomReader?.slots.commit() } else { atomReader?.slots.rollback() }
        // A file the store gave up on is read no further.
        file.pipe.cancel()
        for d in result.diagnostics { report(d) }
        summary.files += 1
        summary.bytes += result.bytes
        if result.diagnostics.hasErrors {
            summary.failedFiles += 1
        } else {
            summary.papersNew += counts.new
            summary.papersUpdated += counts.updated
            summary.papersUnchanged += counts.unchanged
        }
    }
}

/// The reading side of a run's Atom files: one thread reads them in the order they are stored
/// (libxml2, hashing, and preparing each record's JSON), each file into a bounded pipe of its own,
/// so the next file is read while the writing thread still stores and commits the one before. At
/// most the file being stored and the one after it are in flight, each holding a few batches:
/// memory stays flat whatever the files' sizes. Batches the writing thread has stored come back
/// (`recycle`) and are freed on the reading thread, whichever file it is reading by then.
final class AtomReadAhead: @unchecked Sendable {
    /// One file as read: its records through `pipe`; `result` and `error` are final once the pipe
    /// has closed.
    final class File: @unchecked Sendable {
        let path: String
        let pipe = BatchPipe<PreparedRecord>(capacity: Ingestor.atomBatchesQueued)
        var result = AtomReadResult()
        var error: Error?
        private let lock = NSLock()
        private var bytes: Int64 = 0
        private let spent: SpentBatches
        private let slots: InternSlots

        init(path: String, spent: SpentBatches, slots: InternSlots) {
            self.path = path
            self.spent = spent
            self.slots = slots
        }

        /// Bytes of the file read so far (for progress, from the writing thread).
        var bytesRead: Int64 { lock.withLock { bytes } }

        func read() {
            defer { pipe.close() }
            let source = SourceFile(path: Ingestor.storedPath(path), format: "atom")
            do {
                var batch: [PreparedRecord] = []
                batch.reserveCapacity(Ingestor.atomBatchSize)
                result = try AtomReader.read(path: path, hashing: true, progress: { [self] read in
                    lock.withLock { bytes = read }
                }) { record in
                    batch.append(PreparedRecord(record, source: source, slots: slots))
                    if batch.count == Ingestor.atomBatchSize {
                        spent.release()
                        try pipe.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                spent.release()
                if !batch.isEmpty { try pipe.put(batch) }
            } catch {
                self.error = error
            }
        }
    }

    /// Stored batches waiting to be freed by the reading thread.
    final class SpentBatches: @unchecked Sendable {
        private let lock = NSLock()
        private var batches: [[PreparedRecord]] = []

        func add(_ batch: [PreparedRecord]) { lock.withLock { batches.append(batch) } }

        /// Frees the batches added so far, on the calling thread.
        func release() {
            var gone: [[PreparedRecord]] = []
            lock.withLock { swap(&gone, &batches) }
            gone.removeAll()
        }
    }

    private let files = BatchPipe<File>(capacity: 1)
    private let spent = SpentBatches()
    /// The run's numbering of author names and categories: the reading thread numbers them as it
    /// prepares records, the writing thread keeps each number's node (committed or rolled back with
    /// each file's session).
    let slots = InternSlots()
    private var job: BackgroundJob?

    init(paths: [String]) {
        job = BackgroundJob { [files, spent, slots] in
            defer { files.close() }
            for path in paths {
                let file = File(path: path, spent: spent, slots: slots)
                do { try files.put([file]) } catch { return }
                file.read()
            }
        }
    }

    /// The next file in order, as soon as its reading has started.
    func next() -> File? { files.take()?.first }

    /// Hands a stored batch back to be freed on the reading thread.
    func recycle(_ batch: [PreparedRecord]) { spent.add(batch) }

    /// Stops reading (files not taken yet are not read) and waits for the thread.
    func finish() {
        files.cancel()
        job?.wait()
    }
}
