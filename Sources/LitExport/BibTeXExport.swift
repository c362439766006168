// The graph → a .bib file. A paper that came from a .bib is written as its entry came (byte for byte,
// with the @string definitions it uses, each once, first); any other paper (from Atom, or a stub
// filled in since) is generated in the writer's clean style with a key like `lin2025survey` that is
// unique across the graph and stable from run to run (suffixes follow node order, which only grows).
import Foundation
import LitBibTeX
import LitModel
import LitStore

public enum BibTeXExport {
    public struct Result: Sendable {
        public var text: String
        public var entries: Int
        public var verbatim: Int
        public var generated: Int
        public var diagnostics: [Diagnostic]
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
        let rows = try store.paperExportRows()
        let keysByNode = generatedKeys(rows)
        let wanted = selected.map(Set.init)
        var items: [BibTeXWriter.Either] = []
        var verbatim = 0, generated = 0
        for row in rows {
            if let wanted, !wanted.contains(row.node) { continue }
            if row.props["stub"] != nil { continue }
            if let raw = row.rawEntry {
                items.append(.verbatim(.init(text: raw, strings: strings(in: row.rawStrings))))
                verbatim += 1
            } else {
                let key = row.props["key"]?.stringValue ?? keysByNode[row.node] ?? "paper\(row.node)"
                items.append(.generated(BibTeXWriter.write(record(row), key: key, options: .init(utf8: utf8))))
                generated += 1
            }
        }
        return Result(text: BibTeXWriter.file(items), entries: verbatim + generated, verbatim: verbatim,
                      generated: generated, diagnostics: diagnostics)
    }

    /// Keys for papers without one: `lin2025survey`, then `…a`, `…b` in node order.
    static func generatedKeys(_ rows: [PaperExportRow]) -> [Int64: String] {
        var taken = Set<String>()
        for row in rows {
            if let key = row.props["key"]?.stringValue { taken.insert(key) }
            for key in row.props["bibkeys"]?.arrayValue ?? [] { if let k = key.stringValue { taken.insert(k) } }
        }
        let keyless = rows.filter { $0.props["key"] == nil && $0.props["stub"] == nil }
        let keys = BibTeXWriter.uniqueKeys(keyless.map { BibTeXWriter.baseKey(for: record($0)) }, taken: taken)
        var out: [Int64: String] = [:]
        for (row, key) in zip(keyless, keys) { out[row.node] = key }
        return out
    }

    /// The @string definitions in a stored block, each with its name.
    static func strings(in text: String?) -> [(name: String, text: String)] {
        guard let text, !text.isEmpty else { return [] }
        let tree = BibTeXParser.parse(path: "strings", text: text)
        return tree.items.filter { $0.kind == .string }.map { item in
            let name = tree.fields(of: item).first.map { tree.name(of: $0).lowercased() } ?? ""
            return (name, tree.text(of: item))
        }
    }

    /// The paper's properties as a record for the writer.
    static func record(_ row: PaperExportRow) -> WorkRecord {
        let p = row.props
        var r = WorkRecord(via: "graph", line: 0)
        r.title = p["title"]?.stringValue
        r.year = p["year"]?.intValue
        r.month = p["month"]?.intValue
        if let base = p["arxiv"]?.stringValue { r.arxiv = ArxivID(base) }
        r.doi = p["doi"]?.stringValue
        r.primaryCategory = p["primary_category"]?.stringValue
        r.venue = p["venue"]?.stringValue
        r.journalRef = p["journal_ref"]?.stringValue
        r.authors = row.authors
        return r
    }
}
