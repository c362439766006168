// Reads and small writes the BibTeX side needs: the match facts of every paper (title, year, ids,
// first author's family name) for resolving published versions against preprints and listing
// uncertain duplicates; the rows the BibTeX export writes from (properties, authors, the raw entry a
// .bib gave); every BibTeX key with its canonical key.
import Foundation
import GRDB
import LitModel

/// What entity resolution compares when identifiers do not settle a match.
public struct PaperMatchRow: Sendable {
    public var node: Int64
    public var title: String?
    public var year: Int?
    public var arxiv: String?
    public var doi: String?
    public var key: String?
    /// The family name of the author at position 1.
    public var firstFamily: String?
}

/// A paper as the BibTeX export needs it. The fields a generated entry is made of are read only
/// for papers that need one (no stored .bib entry, or no canonical key).
public struct PaperBibTeXRow: Sendable {
    public var node: Int64
    /// The canonical BibTeX key (`key` property), when the paper has one.
    public var key: String?
    /// In the selection asked for; a keyless paper outside it is read only for its generated key.
    public var isSelected: Bool
    public var title: String?
    public var year: Int?
    public var month: Int?
    public var arxiv: String?
    public var doi: String?
    public var primaryCategory: String?
    public var venue: String?
    public var journalRef: String?
    /// Authors in order: display name, family, given.
    public var authors: [PersonName] = []
    /// The entry exactly as a .bib gave it (bytes in `PaperBibTeXRows.text`), when one did.
    public var raw: Range<Int>?
    /// The @string definitions that entry uses, one after another (bytes in `PaperBibTeXRows.text`).
    public var rawStrings: Range<Int>?
}

/// What the BibTeX export reads, in a few scans of one snapshot.
public struct PaperBibTeXRows: Sendable {
    /// The papers in node order, stubs (cited-only placeholders, never exported) left out.
    public var papers: [PaperBibTeXRow]
    /// The stored entry texts, back to back; rows point into it.
    public var text: [UInt8]
    /// Every `key` and `bibkeys` value of every paper, when some paper has no key (else empty).
    public var takenKeys: Set<String>
}

enum BibTeXQueries {
    static let matchRows = """
        SELECT n.id, json_extract(n.props, '$.title'), json_extract(n.props, '$.year'),
               json_extract(n.props, '$.arxiv'), json_extract(n.props, '$.doi'), json_extract(n.props, '$.key'),
               (SELECT json_extract(a.props, '$.family') FROM edge e JOIN node a ON a.id = e.dst
                WHERE e.src = n.id AND e.type = 'AUTHORED_BY' AND json_extract(e.props, '$.position') = 1 LIMIT 1)
        FROM node_label l JOIN node n ON n.id = l.node WHERE l.label = 'Paper' ORDER BY n.id
        """

    static func matchRows(_ db: Database) throws -> [PaperMatchRow] {
        var out: [PaperMatchRow] = []
        let rows = try Row.fetchCursor(db, sql: matchRows)
        while let row = try rows.next() {
            out.append(PaperMatchRow(node: row[0], title: row[1], year: row[2], arxiv: row[3], doi: row[4],
                                     key: row[5], firstFamily: row[6]))
        }
        return out
    }
}

extension GraphWriter {
    /// Match facts of every Paper in the graph, in node order.
    public func paperMatchRows() throws -> [PaperMatchRow] {
        try BibTeXQueries.matchRows(db)
    }

    /// Removes one property of a node (no-op when absent).
    public func removeProperty(_ key: String, of node: Int64) throws {
        var props = try props(of: node)
        if props.removeValue(forKey: key) != nil { try setProps(node, props) }
    }
}

extension GraphStore {
    /// Match facts of every Paper in the graph, in node order.
    public func paperMatchRows() throws -> [PaperMatchRow] {
        try read { db in try BibTeXQueries.matchRows(db) }
    }

    /// Every BibTeX key seen → the canonical key of the paper it names, sorted by key.
    public func bibkeyAliases() throws -> [(alias: String, canonical: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT i.value, COALESCE(json_extract(n.props, '$.key'), i.value) FROM ident i JOIN node n ON n.id = i.node
                WHERE i.kind = 'bibkey' ORDER BY i.value
                """).map { (alias: $0[0], canonical: $0[1]) }
        }
    }

    /// The papers to export (all when `nodes` is nil) in node order, in at most five statements
    /// however many papers: papers, stored entries, then (only for papers that need a generated
    /// entry or key) their fields and authors, and the keys already taken. The stored entry is the one whose
    /// key is the paper's canonical key, else the first by (source, line).
    public func paperBibTeXRows(nodes: [Int64]? = nil) throws -> PaperBibTeXRows {
        try read { db in
            var rows: [PaperBibTeXRow] = []
            var index: [Int64: Int] = [:]
            let wanted = nodes.map(Set.init)
            // A property as the JSON text it is, else NULL (json_extract would also give arrays as text).
            func text(_ key: String, of node: String = "n") -> String {
                "CASE json_type(\(node).props, '$.\(key)') WHEN 'text' THEN json_extract(\(node).props, '$.\(key)') END"
            }
            func integer(_ key: String) -> String {
                "CASE json_type(n.props, '$.\(key)') WHEN 'integer' THEN json_extract(n.props, '$.\(key)') END"
            }
            let papers = try Row.fetchCursor(db, sql: """
                SELECT n.id, \(text("key")), json_type(n.props, '$.stub') IS NOT NULL
                  FROM node_label l JOIN node n ON n.id = l.node WHERE l.label = 'Paper' ORDER BY n.id
                """)
            var keyless = false
            while let row = try papers.next() {
                let id: Int64 = row[0]
                let key: String? = row[1]
                let stub: Bool = row[2]
                if stub { continue }
                if key == nil { keyless = true }
                let selected = wanted?.contains(id) ?? true
                if !selected && key != nil { continue }
                index[id] = rows.count
                rows.append(PaperBibTeXRow(node: id, key: key, isSelected: selected))
            }
            var bytes: [UInt8] = []
            let raws = try Row.fetchCursor(db, sql: """
                SELECT p.node, json_extract(p.fields, '$.key'), json_extract(p.fields, '$.raw'),
                       json_extract(p.fields, '$.raw_strings')
                  FROM provenance p WHERE json_extract(p.fields, '$.raw') IS NOT NULL ORDER BY p.node, p.source, p.line
                """)
            var canonical = Set<Int64>()
            func append(_ data: Data?) -> Range<Int>? {
                guard let data else { return nil }
                let start = bytes.count
                bytes.append(contentsOf: data)
                return start..<bytes.count
            }
            while let row = try raws.next() {
                let node: Int64 = row[0]
                guard let i = index[node], rows[i].isSelected, !canonical.contains(node) else { continue }
                let key: String? = row[1]
                let isCanonical = key != nil && key == rows[i].key
                if rows[i].raw == nil || isCanonical {
                    rows[i].raw = try row.withUnsafeData(atIndex: 2, append)
                    rows[i].rawStrings = try row.withUnsafeData(atIndex: 3, append)
                }
                if isCanonical { canonical.insert(node) }
            }
            // Papers written from their properties: those without a stored entry, and every
            // keyless paper (its generated key depends on all the others').
            var generated: [Int64] = []
            for row in rows where row.raw == nil || row.key == nil { generated.append(row.node) }
            if !generated.isEmpty {
                let list = "[" + generated.map(String.init).joined(separator: ",") + "]"
                let fields = try Row.fetchCursor(db, sql: """
                    SELECT n.id, \(text("title")), \(integer("year")), \(integer("month")), \(text("arxiv")),
                           \(text("doi")), \(text("primary_category")), \(text("venue")), \(text("journal_ref"))
                      FROM node n WHERE n.id IN (SELECT value FROM json_each(?))
                    """, arguments: [list])
                while let row = try fields.next() {
                    guard let i = index[row[0]] else { continue }
                    rows[i].title = row[1]
                    rows[i].year = row[2]
                    rows[i].month = row[3]
                    rows[i].arxiv = row[4]
                    rows[i].doi = row[5]
                    rows[i].primaryCategory = row[6]
                    rows[i].venue = row[7]
                    rows[i].journalRef = row[8]
                }
                let authors = try Row.fetchCursor(db, sql: """
                    SELECT e.src, \(text("name", of: "a")), \(text("family", of: "a")), \(text("given", of: "a"))
                      FROM edge e JOIN node a ON a.id = e.dst
                     WHERE e.type = 'AUTHORED_BY' AND e.src IN (SELECT value FROM json_each(?))
                     ORDER BY e.src, json_extract(e.props, '$.position'), e.id
                    """, arguments: [list])
                while let row = try authors.next() {
                    guard let i = index[row[0]] else { continue }
                    rows[i].authors.append(PersonName(display: row[1] ?? "", family: row[2] ?? "", given: row[3] ?? ""))
                }
            }
            var taken = Set<String>()
            if keyless {
                let keys = try Row.fetchCursor(db, sql: """
                    SELECT json_extract(n.props, '$.key') FROM node_label l JOIN node n ON n.id = l.node
                     WHERE l.label = 'Paper' AND json_type(n.props, '$.key') = 'text'
                    UNION ALL
                    SELECT j.value FROM node_label l JOIN node n ON n.id = l.node, json_each(n.props, '$.bibkeys') j
                     WHERE l.label = 'Paper' AND j.type = 'text'
                    """)
                while let row = try keys.next() { taken.insert(row[0]) }
            }
            return PaperBibTeXRows(papers: rows, text: bytes, takenKeys: taken)
        }
    }
}
