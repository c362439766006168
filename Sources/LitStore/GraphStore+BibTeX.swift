// Reads and small writes the BibTeX side needs: the match facts of every paper (title, year, ids,
// first author's family name) for resolving published versions against preprints and listing
// uncertain duplicates; every BibTeX key with its canonical key. (What `export bibtex` reads is in
// GraphStore+BibTeXExport.swift.)
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

    /// Every identifier of the kinds entity resolution uses (`arxiv`, `doi`, `bibkey`,
    /// `fingerprint`): kind → value → node.
    public func resolutionIdents() throws -> [String: [String: Int64]] {
        var out: [String: [String: Int64]] = ["arxiv": [:], "doi": [:], "bibkey": [:], "fingerprint": [:]]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT kind, value, node FROM ident WHERE kind IN ('arxiv', 'doi', 'bibkey', 'fingerprint')
            """)
        while let row = try rows.next() {
            let kind: String = row[0]
            out[kind, default: [:]][row[1]] = row[2] as Int64
        }
        return out
    }

    /// Drops the indexes the ingest never reads (`Schema.deferrableIndexes`) for the rest of this
    /// session, so that a file larger than the graph is loaded without keeping them up row by row;
    /// `restoreIndexes` builds them again with one sort each before the session ends. Queries give
    /// the same answers meanwhile, only slower; a session that fails rolls the drop back with
    /// everything else.
    public func deferIndexes() throws {
        for index in Schema.deferrableIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
    }

    /// Builds the indexes `deferIndexes` dropped.
    public func restoreIndexes() throws {
        try Schema.restoreIndexes(db)
    }

    /// Number of nodes in the graph.
    public func nodeCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM node") ?? 0
    }

    /// The `arxiv` property of every Paper that has one as a string.
    public func paperArxivIDs() throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT n.id, json_extract(n.props, '$.arxiv') FROM node_label l JOIN node n ON n.id = l.node
             WHERE l.label = 'Paper' AND json_type(n.props, '$.arxiv') = 'text'
            """)
        while let row = try rows.next() { out[row[0]] = row[1] as String }
        return out
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
}
