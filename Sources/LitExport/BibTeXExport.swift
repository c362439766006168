// The graph → a .bib file. A paper that came from a .bib is written as its entry came (byte for byte,
// with the @string definitions it uses, each once, first); any other paper (from Atom, or a stub
// filled in since) is generated in the writer's clean style with a key like `lin2025survey` that is
// unique across the graph and stable from run to run (suffixes follow node order, which only grows).
// Papers are written in node order, into one byte buffer, from a few scans of the store; generated
// entries are made on every core, over runs of papers in node order, and put in place.
import Foundation
import LitBibTeX
import LitModel
import LitStore

public enum BibTeXExport {
    public struct Result: Sendable {
        /// The .bib file, UTF-8.
        public var bytes: [UInt8]
        public var entries: Int
        public var verbatim: Int
        public var generated: Int
        public var diagnostics: [Diagnostic]

        /// The .bib file as text.
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Writes the papers named by `keys` (any BibTeX key, arXiv id or DOI), or `nodes`, or all.
    public static func export(store: GraphStore, keys: [String]? = nil, nodes: [Int64]? = nil,
                              utf8: Bool = false) throws -> Result {
        var diagnostics: [Diagnostic] = []
        var selected: [Int64]? = nodes
        if let keys {
            var found: [Int64] = selected ?? []
            for key in keys {
                if let node = try store.findPaper(key) { found.append(node) } else {
                    diagnostics.append(.warning("export.bibtex.unknown-key", "no paper in the graph answers to '\(key)'"))
                }
            }
            selected = found
        }
        let data = try store.paperBibTeXRows(nodes: selected)
        let papers = data.papers
        // Generated entries are made on every core, over runs of papers in node order (four per
        // core, so that a core slowed by other work leaves its share to the others), then put in
        // place. A keyless paper's entry is written without its key, and keys are made unique in one
        // pass afterwards (from the base keys gathered with the entries) and put in on the way into
        // the file, so the bytes do not depend on how the papers were split.
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let parts = papers.count >= 2_000 ? min(4 * cores, papers.count / 500) : 1
        let bounds = (0...parts).map { papers.count * $0 / parts }
        let options = BibTeXWriter.Options(utf8: utf8)
        let entries = inParts(parts) { part -> GeneratedPart in
            var generator = BibTeXWriter.Generator()
            var made = GeneratedPart()
            let rows = papers[bounds[part]..<bounds[part + 1]]
            made.bytes.reserveCapacity(512 * rows.reduce(0) { $0 + ($1.isSelected && $1.raw == nil ? 1 : 0) })
            for row in rows where row.raw == nil || row.key == nil {
                // The papers written from their properties, and the keyless ones (for their base keys).
                let record = Self.record(row)
                if row.key == nil { made.bases.append(generator.baseKey(for: record)) }
                guard row.isSelected && row.raw == nil else { continue }
                let start = made.bytes.count
                made.keyAt.append(generator.appendEntry(record, key: row.key ?? "", options: options, to: &made.bytes) - start)
                made.ends.append(made.bytes.count)
            }
            return made
        }
        let keys = generatedKeys(papers, bases: entries.flatMap(\.bases), taken: data.takenKeys)

        let text = data.text
        var file = BibTeXWriter.FileBuilder(capacity: text.count + text.count / 8 + entries.reduce(0) { $0 + $1.bytes.count } + 4096)
        // Entries from one .bib mostly share their block of @string definitions: parse each block once.
        var parsed: [ArraySlice<UInt8>: [(name: String, text: String)]] = [:]
        var verbatim = 0, generated = 0
        for part in 0..<parts {
            var next = 0, from = 0
            for i in bounds[part]..<bounds[part + 1] where papers[i].isSelected {
                let row = papers[i]
                if let raw = row.raw {
                    var strings: [(name: String, text: String)] = []
                    if let range = row.rawStrings, !range.isEmpty {
                        let block = text[range]
                        if let known = parsed[block] { strings = known } else {
                            strings = self.strings(in: String(decoding: block, as: UTF8.self))
                            parsed[block] = strings
                        }
                    }
                    file.appendVerbatim(text[raw], strings: strings)
                    verbatim += 1
                } else {
                    let end = entries[part].ends[next]
                    let entry = entries[part].bytes[from..<end]
                    if row.key == nil {
                        file.appendGenerated(entry, key: keys[i] ?? "paper\(row.node)", at: entries[part].keyAt[next])
                    } else {
                        file.appendGenerated(entry)
                    }
                    next += 1
                    from = end
                    generated += 1
                }
            }
        }
        return Result(bytes: file.finish(), entries: verbatim + generated, verbatim: verbatim, generated: generated,
                      diagnostics: diagnostics)
    }

    /// The generated entries of one part of the papers, back to back: where each ends and where its
    /// key goes (from its start); and the base keys of the part's keyless papers, in order.
    struct GeneratedPart: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var keyAt: [Int] = []
        var bases: [String] = []
    }

    /// Runs `body` for parts `0..<parts` at once (one thread each), the results in part order.
    static func inParts<T: Sendable>(_ parts: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if parts == 1 { return [body(0)] }
        let results = Slots<T>(parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in results.set(part, body(part)) }
        return results.values
    }

    /// One result slot per part, each written by one thread only.
    final class Slots<T>: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<T?>
        init(_ count: Int) { slots = .allocate(capacity: count); slots.initialize(repeating: nil) }
        deinit { slots.deinitialize(); slots.deallocate() }
        func set(_ index: Int, _ value: T) { slots[index] = value }
        var values: [T] { slots.map { $0! } }
    }

    /// Keys for papers without one (by row; nil for the others), from their base keys in row order:
    /// `lin2025survey`, then `…a`, `…b` in node order, past every key taken.
    static func generatedKeys(_ papers: [PaperBibTeXRow], bases: [String], taken: Set<String>) -> [String?] {
        guard !bases.isEmpty else { return Array(repeating: nil, count: papers.count) }
        var keys = BibTeXWriter.uniqueKeys(bases, taken: taken).makeIterator()
        return papers.map { $0.key == nil ? keys.next() : nil }
    }

    /// The @string definitions in a stored block, each with its name.
    static func strings(in text: String) -> [(name: String, text: String)] {
        guard !text.isEmpty else { return [] }
        let tree = BibTeXParser.parse(path: "strings", text: text)
        return tree.items.filter { $0.kind == .string }.map { item in
            let name = tree.fields(of: item).first.map { tree.name(of: $0).lowercased() } ?? ""
            return (name, tree.text(of: item))
        }
    }

    /// A stored `arxiv` property as an identifier. The store keeps the canonical base, which for a
    /// new-style id (`2502.17516`) is taken as it is; anything else goes through the full parser.
    static func storedArxivID(_ base: String) -> ArxivID? {
        let bytes = base.utf8
        if bytes.count == 9 || bytes.count == 10, let dot = bytes.firstIndex(of: UInt8(ascii: ".")),
           bytes.distance(from: bytes.startIndex, to: dot) == 4,
           bytes.allSatisfy({ $0 == UInt8(ascii: ".") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }),
           bytes.filter({ $0 == UInt8(ascii: ".") }).count == 1 {
            let month = Int(base.dropFirst(2).prefix(2)) ?? 0
            if (1...12).contains(month) { return ArxivID(base: base, version: nil) }
        }
        return ArxivID(base)
    }

    /// The paper's properties as a record for the writer.
    static func record(_ row: PaperBibTeXRow) -> WorkRecord {
        var r = WorkRecord(via: "graph", line: 0)
        r.title = row.title
        r.year = row.year
        r.month = row.month
        if let base = row.arxiv { r.arxiv = storedArxivID(base) }
        r.doi = row.doi
        r.primaryCategory = row.primaryCategory
        r.venue = row.venue
        r.journalRef = row.journalRef
        r.authors = row.authors
        return r
    }
}
