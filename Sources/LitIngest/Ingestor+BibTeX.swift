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

    init(rows: [PaperMatchRow]) {
        for row in rows {
            guard let title = row.title else { continue }
            add(node: row.node, title: title, year: row.year, family: row.firstFamily ?? "", arxiv: row.arxiv, doi: row.doi)
        }
    }

    /// Letters and digits only, lower case, diacritics folded: `{ViT-Dissect}: Measuring` → `vitdissectmeasuring`.
    static func titleKey(_ title: String) -> String {
        if title.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(title.utf8.count)
            for c in title.utf8 {
                if c >= 0x41 && c <= 0x5A { bytes.append(c | 0x20) }
                else if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) { bytes.append(c) }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
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
        let last = family.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "~" }).last.map(String.init) ?? family
        return titleKey(last)
    }

    func add(node: Int64, title: String, year: Int?, family: String, arxiv: String?, doi: String?) {
        let key = Self.titleKey(title)
        guard key.count >= 8 else { return }
        let candidate = Candidate(node: node, year: year, family: Self.familyKey(family), arxiv: arxiv, doi: doi)
        if let existing = byTitle[key], existing.contains(where: { $0.node == node }) { return }
        byTitle[key, default: []].append(candidate)
    }

    /// The one paper this record is another version of: same normalised title, same first author's
    /// family name, years at most three apart, no conflicting arXiv id or DOI. Nil when there is none
    /// or more than one (those stay apart; `litgraph duplicates` lists them).
    func match(_ r: WorkRecord) -> Int64? {
        guard let title = r.title, let first = r.authors.first else { return nil }
        let key = Self.titleKey(title)
        guard key.count >= 8, let candidates = byTitle[key] else { return nil }
        let family = Self.familyKey(first.family.isEmpty ? first.display : first.family)
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

extension Ingestor {
    func ingestBibTeX(_ input: Input, before done: Int64, total: Int64) {
        guard let data = FileManager.default.contents(atPath: input.path) else {
            report(.error("ingest.unreadable", "cannot read '\(input.path)'"))
            summary.failedFiles += 1
            return
        }
        let bytes = [UInt8](data)
        let tree = BibTeXParser.parse(BibTeXSource(path: input.path, bytes: bytes))
        var reader = BibTeXReader(tree)
        reader.collectStrings = true
        var counts = (new: 0, updated: 0, unchanged: 0, skipped: 0)
        var diagnostics: [Diagnostic] = []
        let source = SourceFile(path: Self.storedPath(input.path), format: "bibtex", sha256: SHA256.hex(of: bytes))
        do {
            try store.writeSession(source: source, cache: cache) { writer in
                let matcher = TitleMatcher(rows: try writer.paperMatchRows())
                var entryNodes: [(node: Int64, line: Int)] = []
                try reader.read { entry in
                    guard !entry.hasError else { counts.skipped += 1; return }
                    var record = entry.workRecord()
                    if entry["crossref"] == nil {
                        // Untouched entries are exported as they came: keep the text and its @strings.
                        record.extra["raw"] = tree.text(of: tree.items[entry.item])
                        if !entry.strings.isEmpty {
                            record.extra["raw_strings"] = entry.strings.map(\.text).joined(separator: "\n")
                        }
                    }
                    let outcome = try self.store(record, writer: writer, matcher: matcher)
                    switch outcome.outcome {
                    case .created: counts.new += 1
                    case .updated: counts.updated += 1
                    case .unchanged: counts.unchanged += 1
                    }
                    entryNodes.append((outcome.node, entry.line))
                }
                if let citedBy {
                    let citing = try paperNode(citedAs: citedBy, writer: writer, line: nil)
                    for (node, line) in entryNodes where node != citing {
                        if try !writer.edgeExists("CITES", from: citing, to: node) {
                            try writer.addEdge("CITES", from: citing, to: node, via: "bibtex", line: line)
                        }
                    }
                }
                writer.sha256 = source.sha256
            }
        } catch let diagnostic as Diagnostic {
            diagnostics.append(diagnostic)
            summary.failedFiles += 1
        } catch {
            diagnostics.append(.error("store.write", "cannot store '\(input.path)': \(error)",
                                      at: SourceSpan(file: input.path, line: 1, column: 1)))
            summary.failedFiles += 1
        }
        for d in reader.diagnostics { report(d) }
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

    /// Resolves and upserts one record; a stub it lands on stops being a stub.
    func store(_ record: WorkRecord, writer: GraphWriter, matcher: TitleMatcher) throws -> UpsertResult {
        let node = try writer.resolve(record) ?? matcher.match(record)
        let result = try writer.upsert(record, into: node)
        if node != nil, try writer.props(of: result.node)["stub"] != nil {
            try writer.removeProperty("stub", of: result.node)
        }
        if result.outcome == .created || node != nil, let title = record.title {
            matcher.add(node: result.node, title: title, year: record.year,
                        family: record.authors.first.map { $0.family.isEmpty ? $0.display : $0.family } ?? "",
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
