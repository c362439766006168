// BibTeX and citation tables into the graph. A .bib file goes in as one transaction: each good entry
// becomes a WorkRecord resolved against the graph (arXiv id, DOI, BibTeX key, exact fingerprint, then
// a published version matched to its preprint by title, first author and a near year); a bad entry is
// reported and skipped, the rest goes in. `--cited-by KEY` makes KEY cite every entry; a citations
// table (`citing<TAB>cited cited …`) adds CITES edges, with stub papers for keys not yet known that a
// later ingest fills in.
import Foundation
import LitBibTeX
import LitModel
import LitStore

/// Matching without identifiers: papers by normalised title, compared on first author and year.
final class TitleMatcher {
    struct Candidate {
        var node: Int64
        var year: Int?
        var family: String
        var arxiv: String?
        var doi: String?
    }

    private var byTitle: [String: [Candidate]] = [:]

    /// The matcher of the papers `rows`, with room for `entries` more.
    init(rows: [PaperMatchRow], entries: Int = 0) {
        byTitle.reserveCapacity(rows.count + entries)
        for row in rows {
            guard let title = row.title else { continue }
            add(node: row.node, title: title, year: row.year, family: row.firstFamily ?? "", arxiv: row.arxiv, doi: row.doi)
        }
    }

    /// Letters and digits only, lower case, diacritics folded: `{ViT-Dissect}: Measuring` → `vitdissectmeasuring`.
    static func titleKey(_ title: String) -> String {
        var text = title
        let ascii = text.withUTF8 { b -> String? in
            for c in b where c >= 0x80 { return nil }
            return String(unsafeUninitializedCapacity: b.count) { out in
                var n = 0
                for c in b {
                    if c >= 0x41 && c <= 0x5A { out[n] = c | 0x20; n += 1 }
                    else if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) { out[n] = c; n += 1 }
                }
                return n
            }
        }
        if let ascii { return ascii }
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        for scalar in folded.unicodeScalars where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            out.unicodeScalars.append(scalar)
        }
        return out.lowercased()
    }

    /// The last word of a family name, folded (`de la Vallée Poussin` → `poussin`).
    static func familyKey(_ family: String) -> String {
        var text = family
        let ascii = text.withUTF8 { b -> String? in
            // The same on bytes for ASCII names: the last run between separators, letters and digits.
            for c in b where c >= 0x80 { return nil }
            func separator(_ c: UInt8) -> Bool { c == 0x20 || c == 0x2D || c == 0x7E }
            var end = b.count
            while end > 0 && separator(b[end - 1]) { end -= 1 }
            var start = end
            while start > 0 && !separator(b[start - 1]) { start -= 1 }
            return String(unsafeUninitializedCapacity: end - start) { out in
                var n = 0
                for c in b[start..<end] {
                    if c >= 0x41 && c <= 0x5A { out[n] = c | 0x20; n += 1 }
                    else if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) { out[n] = c; n += 1 }
                }
                return n
            }
        }
        if let ascii { return ascii }
        let last = family.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "~" }).last.map(String.init) ?? family
        return titleKey(last)
    }

    func add(node: Int64, title: String, year: Int?, family: String, arxiv: String?, doi: String?) {
        let key = Self.titleKey(title)
        guard Self.usable(key) else { return }
        add(node: node, titleKey: key, year: year, familyKey: Self.familyKey(family), arxiv: arxiv, doi: doi)
    }

    /// Whether a title key is long enough to match on: eight characters or more.
    static func usable(_ key: String) -> Bool {
        var key = key
        let bytes = key.utf8.count
        guard bytes >= 8 else { return false }
        // An ASCII key (most) has a character a byte.
        return key.withUTF8 { $0.allSatisfy { $0 < 0x80 } } || key.count >= 8
    }

    /// `add` with the title's and family name's keys already made (the title's `usable`).
    func add(node: Int64, titleKey key: String, year: Int?, familyKey: String, arxiv: String?, doi: String?) {
        let candidate = Candidate(node: node, year: year, family: familyKey, arxiv: arxiv, doi: doi)
        // One lookup of the title, adding the paper unless it is there already.
        func add(to list: inout [Candidate]) {
            if !list.contains(where: { $0.node == node }) { list.append(candidate) }
        }
        add(to: &byTitle[key, default: []])
    }

    /// The one paper this record is another version of: same normalised title (`titleKey`, one
    /// that is `usable`), same first author's family name (`familyKey`), years at most three apart,
    /// no conflicting arXiv id or DOI. Nil when there is none or more than one (those stay apart; `litgraph duplicates`
    /// lists them).
    func match(titleKey key: String, familyKey family: String, _ r: WorkRecord) -> Int64? {
        guard let candidates = byTitle[key] else { return nil }
        let fitting = candidates.filter { c in
            guard !family.isEmpty, c.family == family else { return false }
            guard let y = r.year, let cy = c.year, abs(y - cy) <= 3 else { return false }
            if let a = r.arxiv?.base, let b = c.arxiv, a != b { return false }
            if let a = r.doi, let b = c.doi, a != b { return false }
            return true
        }
        return fitting.count == 1 ? fitting[0].node : nil
    }
}

/// One entry of a .bib file made ready for storing: skipped (a syntax error cut it short), or a
/// prepared paper.
enum BibTeXWork: Sendable {
    case skipped
    case paper(BibTeXPaper)
}

/// A prepared paper with the keys the title matcher compares (no title key when it is not
/// `usable`). A class: the writing thread takes it out of its batch with one reference count
/// instead of copying every field of the record.
final class BibTeXPaper: Sendable {
    let prepared: PreparedRecord
    let titleKey: String?
    let familyKey: String

    init(_ prepared: PreparedRecord, titleKey: String?, familyKey: String) {
        self.prepared = prepared
        self.titleKey = titleKey
        self.familyKey = familyKey
    }
}

/// Reads a file's entries and turns them into prepared papers on a thread of its own (LaTeX
/// decoding, name splitting, JSON encoding), handing them over in batches through a bounded pipe, so
/// that this work overlaps with the writes to SQLite. Then hashes the file while the last batches
/// are stored.
final class BibTeXPreparation: @unchecked Sendable {
    let pipe = BatchPipe<BibTeXWork>(capacity: 8)
    /// The file's numbering of author and category names (its session's writer learns their nodes).
    let slots = InternSlots()
    private var job: BackgroundJob?
    /// What reading found (syntax errors, repeated keys, …) and the file's SHA-256 (hex); set
    /// once `wait` returned.
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var sha256 = ""
    static let batchSize = 256

    init(tree: BibTeXSyntaxTree, bytes: [UInt8], source: SourceFile) {
        job = BackgroundJob { [self, slots] in
            var reader = BibTeXReader(tree)
            reader.collectStrings = true
            var batch: [BibTeXWork] = []
            batch.reserveCapacity(Self.batchSize)
            do {
                try reader.read { entry in
                    batch.append(Self.work(entry, tree: tree, source: source, slots: slots))
                    if batch.count == Self.batchSize {
                        try self.pipe.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try pipe.put(batch) }
            } catch {
                // Cancelled: the session failed and stored nothing.
            }
            diagnostics = reader.diagnostics
            // The writer stores the last batches (and builds the deferred indexes) meanwhile.
            pipe.close()
            sha256 = SHA256.hex(of: bytes)
        }
    }

    /// Waits for the reading thread to end.
    func wait() { job?.wait() }

    /// Stops reading (when the session failed) and waits for the thread.
    func cancel() {
        pipe.cancel()
        wait()
    }

    static func work(_ entry: BibTeXEntry, tree: BibTeXSyntaxTree, source: SourceFile,
                     slots: InternSlots) -> BibTeXWork {
        guard !entry.hasError else { return .skipped }
        var record = entry.workRecord()
        if entry["crossref"] == nil {
            // Untouched entries are exported as they came: keep the text and its @strings.
            record.extra["raw"] = tree.text(of: tree.items[entry.item])
            if !entry.strings.isEmpty {
                record.extra["raw_strings"] = entry.strings.map(\.text).joined(separator: "\n")
            }
        }
        let first = record.authors.first.map { $0.family.isEmpty ? $0.display : $0.family }
        return .paper(BibTeXPaper(PreparedRecord(record, source: source, slots: slots),
                                  titleKey: record.title.map(TitleMatcher.titleKey).flatMap { TitleMatcher.usable($0) ? $0 : nil },
                                  familyKey: first.map(TitleMatcher.familyKey) ?? ""))
    }
}

/// Entity resolution for one .bib file's session, from maps built once: the identifiers of the
/// graph (kind → value → node, the first node to claim a value keeps it, as in the `ident` table),
/// the `arxiv` property of every paper, and the title matcher. Each stored entry updates them the
/// way its writes update the graph, so that resolving never asks SQLite.
final class BibTeXResolver {
    private var arxiv: [String: Int64]
    private var doi: [String: Int64]
    private var bibkey: [String: Int64]
    private var fingerprint: [String: Int64]
    /// The graph's papers when the session began, and the `arxiv` property of those that have one.
    private let known: Set<Int64>
    private let arxivOf: [Int64: String]
    /// The papers stored in this session: the `arxiv` property each has now, and its edges as far
    /// as known. A node neither here nor in `known` is read from the graph.
    private var session: [Int64: (arxiv: String?, facts: PaperEdgeFacts)] = [:]
    let matcher: TitleMatcher

    /// The maps of the graph `writer` writes to, with room for `entries` more papers.
    init(writer: GraphWriter, entries: Int) throws {
        let idents = try writer.resolutionIdents()
        arxiv = idents["arxiv"] ?? [:]
        doi = idents["doi"] ?? [:]
        bibkey = idents["bibkey"] ?? [:]
        fingerprint = idents["fingerprint"] ?? [:]
        let rows = try writer.paperMatchRows()
        matcher = TitleMatcher(rows: rows, entries: entries)
        arxivOf = try writer.paperArxivIDs()
        known = Set(rows.map(\.node))
        // Most entries bring a key and a fingerprint of their own, many an arXiv id or a DOI: the
        // maps grow once.
        bibkey.reserveCapacity(bibkey.count + entries)
        fingerprint.reserveCapacity(fingerprint.count + entries)
        arxiv.reserveCapacity(arxiv.count + entries)
        doi.reserveCapacity(doi.count + entries)
        session.reserveCapacity(entries)
    }

    /// What `GraphWriter.resolve` answers (by arXiv id, then DOI, BibTeX key and fingerprint, a
    /// node with a different arXiv id being no match), and the paper's identifiers that name no
    /// node yet: each identifier looked up once.
    func resolve(_ paper: PreparedRecord,
                 writer: GraphWriter) throws -> (node: Int64?, newIdents: [(kind: String, value: String)]) {
        let r = paper.record
        // The node each identifier names, in the order of `paper.idents` (arXiv id, DOI, key, fingerprint).
        var found: (arxiv: Int64?, doi: Int64?, bibkey: Int64?, fingerprint: Int64?) = (nil, nil, nil, nil)
        var newIdents: [(kind: String, value: String)] = []
        newIdents.reserveCapacity(paper.idents.count)
        for ident in paper.idents {
            let node: Int64?
            switch ident.kind {
            case "arxiv": node = arxiv[ident.value]; found.arxiv = node
            case "doi": node = doi[ident.value]; found.doi = node
            case "bibkey": node = bibkey[ident.value]; found.bibkey = node
            default: node = fingerprint[ident.value]; found.fingerprint = node
            }
            if node == nil { newIdents.append(ident) }
        }
        if let node = found.arxiv { return (node, newIdents) }
        func compatible(_ node: Int64) throws -> Bool {
            guard let base = r.arxiv?.base else { return true }
            let other = if let paper = session[node] { paper.arxiv }
                else if known.contains(node) { arxivOf[node] }
                else { try writer.props(of: node)["arxiv"]?.stringValue }
            guard let other else { return true }
            return other == base
        }
        for node in [found.doi, found.bibkey, found.fingerprint] {
            if let node, try compatible(node) { return (node, newIdents) }
        }
        return (nil, newIdents)
    }

    /// What the session knows of `node`'s edges (nothing for a paper it has not stored).
    func facts(_ node: Int64) -> PaperEdgeFacts {
        session[node]?.facts ?? PaperEdgeFacts()
    }

    /// Records what storing a paper into `node` wrote: its identifiers `idents` (the new ones
    /// `resolve` gave, now naming `node`), the node's `arxiv` property now, and its edges as far as
    /// known.
    func stored(_ idents: [(kind: String, value: String)], node: Int64, arxivProperty: String?,
                facts: PaperEdgeFacts) {
        for ident in idents {
            switch ident.kind {
            case "arxiv": arxiv[ident.value] = node
            case "doi": doi[ident.value] = node
            case "bibkey": bibkey[ident.value] = node
            default: fingerprint[ident.value] = node
            }
        }
        session[node] = (arxivProperty, facts)
    }
}

extension Ingestor {
    func ingestBibTeX(_ input: Input, before done: Int64, total: Int64) {
        guard let data = FileManager.default.contents(atPath: input.path) else {
            report(.error("ingest.unreadable", "cannot read '\(input.path)'"))
            summary.failedFiles += 1
            return
        }
        let bytes = [UInt8](data)
        let tree = BibTeXParser.parse(BibTeXSource(path: input.path, bytes: bytes))
        var counts = (new: 0, updated: 0, unchanged: 0, skipped: 0)
        var diagnostics: [Diagnostic] = []
        let source = SourceFile(path: Self.storedPath(input.path), format: "bibtex")
        let entries = tree.items.reduce(0) { $0 + ($1.kind == .entry ? 1 : 0) }
        let preparation = BibTeXPreparation(tree: tree, bytes: bytes, source: source)
        do {
            try store.writeSession(source: source, cache: cache) { writer in
                let resolver = try BibTeXResolver(writer: writer, entries: entries)
                // A file larger than the graph is loaded with the secondary indexes built afterwards.
                let large = try entries >= 1_000 && entries > writer.nodeCount()
                if large { try writer.deferIndexes() }
                var entryNodes: [(node: Int64, line: Int)] = []
                // Each stored batch goes back to the reading thread to be freed there.
                var next = preparation.pipe.take()
                while let batch = next {
                    for work in batch {
                        guard case .paper(let paper) = work else {
                            counts.skipped += 1
                            continue
                        }
                        let outcome = try self.store(paper, writer: writer, resolver: resolver)
                        switch outcome.outcome {
                        case .created: counts.new += 1
                        case .updated: counts.updated += 1
                        case .unchanged: counts.unchanged += 1
                        }
                        if citedBy != nil { entryNodes.append((outcome.node, paper.prepared.record.line)) }
                    }
                    next = preparation.pipe.take(returning: batch)
                }
                if large { try writer.restoreIndexes() }
                if let citedBy {
                    let citing = try paperNode(citedAs: citedBy, writer: writer, line: nil)
                    for (node, line) in entryNodes where node != citing {
                        if try !writer.edgeExists("CITES", from: citing, to: node) {
                            try writer.addEdge("CITES", from: citing, to: node, via: "bibtex", line: line)
                        }
                    }
                }
                preparation.wait()
                writer.sha256 = preparation.sha256
                // The resolver's maps are freed on a thread of their own while the session commits.
                BackgroundJob.release(consume resolver)
            }
        } catch let diagnostic as Diagnostic {
            diagnostics.append(diagnostic)
            summary.failedFiles += 1
        } catch {
            diagnostics.append(.error("store.write", "cannot store '\(input.path)': \(error)",
                                      at: SourceSpan(file: input.path, line: 1, column: 1)))
            summary.failedFiles += 1
        }
        preparation.cancel()
        for d in preparation.diagnostics { report(d) }
        for d in diagnostics { report(d) }
        summary.files += 1
        summary.bytes += Int64(bytes.count)
        summary.papersNew += counts.new
        summary.papersUpdated += counts.updated
        summary.papersUnchanged += counts.unchanged
        summary.entriesSkipped += counts.skipped
        onProgress?(IngestProgress(bytesDone: done + Int64(bytes.count), bytesTotal: total, file: input.path,
                                   papers: counts.new + counts.updated + counts.unchanged))
    }

    /// Resolves and stores one prepared entry: a new paper, or a merge into the one it resolves to
    /// (a stub it lands on stops being a stub).
    func store(_ work: BibTeXPaper, writer: GraphWriter, resolver: BibTeXResolver) throws -> UpsertResult {
        let paper = work.prepared, titleKey = work.titleKey, familyKey = work.familyKey
        let record = paper.record
        let (resolved, idents) = try resolver.resolve(paper, writer: writer)
        let node = resolved ?? titleKey.flatMap { resolver.matcher.match(titleKey: $0, familyKey: familyKey, record) }
        let result: UpsertResult
        if let node {
            let merge = try writer.merge(paper, into: node, idents: idents, facts: resolver.facts(node),
                                         removingStub: true)
            result = merge.result
            resolver.stored(idents, node: node, arxivProperty: merge.props["arxiv"]?.stringValue, facts: merge.facts)
        } else {
            result = try writer.create(paper, idents: idents)
            resolver.stored(idents, node: result.node, arxivProperty: record.arxiv?.base,
                            facts: PaperEdgeFacts(created: record))
        }
        if let titleKey {
            resolver.matcher.add(node: result.node, titleKey: titleKey, year: record.year, familyKey: familyKey,
                                 arxiv: record.arxiv?.base, doi: record.doi)
        }
        return result
    }

    /// The paper a citation names: a BibTeX key, an arXiv id or a DOI; a stub paper when the graph
    /// has none yet (a later ingest of the entry fills it in).
    func paperNode(citedAs text: String, writer: GraphWriter, line: Int?) throws -> Int64 {
        if let node = try writer.node(ident: "bibkey", text) { return node }
        if let arxiv = ArxivID(text), let node = try writer.node(ident: "arxiv", arxiv.base) { return node }
        if let doi = DOI.normalise(text), let node = try writer.node(ident: "doi", doi) { return node }
        var props: [String: JSONValue] = ["stub": .bool(true)]
        let node: Int64
        if let arxiv = ArxivID(text) {
            props["arxiv"] = .string(arxiv.base)
            node = try writer.createNode(label: "Paper", props: props)
            _ = try writer.addIdent("arxiv", arxiv.base, node: node)
        } else if let doi = DOI.normalise(text) {
            props["doi"] = .string(doi)
            node = try writer.createNode(label: "Paper", props: props)
            _ = try writer.addIdent("doi", doi, node: node)
        } else {
            props["key"] = .string(text)
            props["bibkeys"] = .array([.string(text)])
            node = try writer.createNode(label: "Paper", props: props)
            _ = try writer.addIdent("bibkey", text, node: node)
        }
        try writer.addProvenance(node: node, line: line, fields: ["stub": .bool(true)])
        return node
    }

    /// A citations table: `citing<TAB>cited cited …` per line; blank lines and `#` comments skipped.
    func ingestCitations(_ input: Input, before done: Int64, total: Int64) {
        guard let data = FileManager.default.contents(atPath: input.path) else {
            report(.error("ingest.unreadable", "cannot read '\(input.path)'"))
            summary.failedFiles += 1
            return
        }
        var diagnostics: [Diagnostic] = []
        var edges = 0
        let source = SourceFile(path: Self.storedPath(input.path), format: "citations", sha256: SHA256.hex(of: [UInt8](data)))
        do {
            try store.writeSession(source: source, cache: cache) { writer in
                var nodes: [String: Int64] = [:]
                func resolve(_ key: String, _ line: Int) throws -> Int64 {
                    if let n = nodes[key] { return n }
                    let n = try paperNode(citedAs: key, writer: writer, line: line)
                    nodes[key] = n
                    return n
                }
                var lineNumber = 0
                for rawLine in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                    lineNumber += 1
                    let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
                    if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
                    guard let tab = line.firstIndex(of: "\t") else {
                        diagnostics.append(.error("citations.no-tab", "expected 'citing<TAB>cited cited …'",
                                                  at: SourceSpan(file: input.path, line: lineNumber, column: 1, length: line.count)))
                        continue
                    }
                    let citingKey = line[..<tab].trimmingCharacters(in: .whitespaces)
                    guard !citingKey.isEmpty else {
                        diagnostics.append(.error("citations.no-citing", "missing the citing key before the tab",
                                                  at: SourceSpan(file: input.path, line: lineNumber, column: 1)))
                        continue
                    }
                    let citing = try resolve(citingKey, lineNumber)
                    for cited in line[line.index(after: tab)...].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
                        let target = try resolve(String(cited), lineNumber)
                        guard target != citing else { continue }
                        if try !writer.edgeExists("CITES", from: citing, to: target) {
                            try writer.addEdge("CITES", from: citing, to: target, via: "citations", line: lineNumber)
                            edges += 1
                        }
                    }
                }
                writer.sha256 = source.sha256
            }
        } catch {
            diagnostics.append(.error("store.write", "cannot store '\(input.path)': \(error)",
                                      at: SourceSpan(file: input.path, line: 1, column: 1)))
            summary.failedFiles += 1
        }
        for d in diagnostics { report(d) }
        summary.files += 1
        summary.bytes += Int64(data.count)
        summary.citations += edges
        onProgress?(IngestProgress(bytesDone: done + Int64(data.count), bytesTotal: total, file: input.path, papers: 0))
    }
}
