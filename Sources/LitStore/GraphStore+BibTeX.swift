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

/// A paper as the BibTeX export needs it.
public struct PaperExportRow: Sendable {
    public var node: Int64
    public var props: [String: JSONValue]
    /// Authors in order: display name, family, given.
    public var authors: [PersonName]
    /// The entry exactly as a .bib gave it, when one did (with the @string definitions it uses).
    public var rawEntry: String?
    public var rawStrings: String?
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

    /// The papers to export (all when `nodes` is nil), in node order, with authors and raw entries.
    public func paperExportRows(nodes: [Int64]? = nil) throws -> [PaperExportRow] {
        try read { db in
            var rows: [PaperExportRow] = []
            var index: [Int64: Int] = [:]
            let wanted = nodes.map(Set.init)
            let papers = try Row.fetchCursor(db, sql: """
                SELECT n.id, n.props FROM node_label l JOIN node n ON n.id = l.node WHERE l.label = 'Paper' ORDER BY n.id
                """)
            while let row = try papers.next() {
                let id: Int64 = row[0]
                if let wanted, !wanted.contains(id) { continue }
                let text: String = row[1]
                guard case .object(let props)? = JSONValue.parse(text) else { continue }
                index[id] = rows.count
                rows.append(PaperExportRow(node: id, props: props, authors: [], rawEntry: nil, rawStrings: nil))
            }
            let authors = try Row.fetchCursor(db, sql: """
                SELECT e.src, a.props FROM edge e JOIN node a ON a.id = e.dst
                WHERE e.type = 'AUTHORED_BY' ORDER BY e.src, json_extract(e.props, '$.position')
                """)
            while let row = try authors.next() {
                guard let i = index[row[0]] else { continue }
                let text: String = row[1]
                guard case .object(let p)? = JSONValue.parse(text) else { continue }
                let name = p["name"]?.stringValue ?? ""
                rows[i].authors.append(PersonName(display: name, family: p["family"]?.stringValue ?? "",
                                                  given: p["given"]?.stringValue ?? ""))
            }
            // The .bib entry whose key is the paper's canonical key, else the first (by source, line).
            let raws = try Row.fetchCursor(db, sql: """
                SELECT p.node, json_extract(p.fields, '$.raw'), json_extract(p.fields, '$.raw_strings'),
                       json_extract(p.fields, '$.key')
                FROM provenance p WHERE json_extract(p.fields, '$.raw') IS NOT NULL ORDER BY p.node, p.source, p.line
                """)
            var canonical = Set<Int64>()
            while let row = try raws.next() {
                let node: Int64 = row[0]
                guard let i = index[node], !canonical.contains(node) else { continue }
                let key: String? = row[3]
                let isCanonical = key != nil && key == rows[i].props["key"]?.stringValue
                if rows[i].rawEntry == nil || isCanonical {
                    rows[i].rawEntry = row[1]
                    rows[i].rawStrings = row[2]
                }
                if isCanonical { canonical.insert(node) }
            }
            return rows
        }
    }
}
