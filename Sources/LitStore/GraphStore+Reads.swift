// The store's domain reads for inspection: counts per label and edge type (`stats`) and one paper
// with everything known about it (`show`), found by arXiv id in any form, DOI or BibTeX key.
import Foundation
import GRDB
import LitModel

/// Node counts per label and edge counts per type.
public struct GraphStats: Sendable, Equatable {
    public var nodes: [(label: String, count: Int)]
    public var edges: [(type: String, count: Int)]

    public static func == (a: GraphStats, b: GraphStats) -> Bool {
        a.nodes.elementsEqual(b.nodes, by: { $0 == $1 }) && a.edges.elementsEqual(b.edges, by: { $0 == $1 })
    }
}

/// One author of a paper as `show` prints it.
public struct PaperAuthor: Sendable, Equatable {
    public var name: String
    public var position: Int
    public var affiliations: [String]
}

/// A source file that stated something about a paper.
public struct PaperSource: Sendable, Equatable {
    public var path: String
    public var format: String
    public var line: Int?
}

/// Everything the graph knows of one paper.
public struct PaperView: Sendable {
    public var node: Int64
    /// The Paper's property map as stored.
    public var props: [String: JSONValue]
    public var authors: [PaperAuthor]
    /// Category ids, the primary one first.
    public var categories: [String]
    public var primaryCategory: String?
    public var sources: [PaperSource]
    public var identifiers: [(kind: String, value: String)]

    public func string(_ key: String) -> String? { props[key]?.stringValue }
    public func int(_ key: String) -> Int? { props[key]?.intValue }
}

extension GraphStore {
    public func stats() throws -> GraphStats {
        try read { db in
            let nodes = try Row.fetchAll(db, sql: "SELECT label, count(*) AS n FROM node_label GROUP BY label ORDER BY label")
                .map { (label: $0["label"] as String, count: $0["n"] as Int) }
            let edges = try Row.fetchAll(db, sql: "SELECT type, count(*) AS n FROM edge GROUP BY type ORDER BY type")
                .map { (type: $0["type"] as String, count: $0["n"] as Int) }
            return GraphStats(nodes: nodes, edges: edges)
        }
    }

    /// The Paper node an identifier names: an arXiv id in any form or version, a DOI (any
    /// resolver form), or a BibTeX key.
    public func findPaper(_ text: String) throws -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return try read { db in
            func lookup(_ kind: String, _ value: String) throws -> Int64? {
                try Int64.fetchOne(db, sql: "SELECT node FROM ident WHERE kind = ? AND value = ?", arguments: [kind, value])
            }
            if let arxiv = ArxivID(trimmed), let node = try lookup("arxiv", arxiv.base) { return node }
            if let doi = DOI.normalise(trimmed), let node = try lookup("doi", doi) { return node }
            if let node = try lookup("bibkey", trimmed) { return node }
            return try Int64.fetchOne(db, sql: """
                SELECT n.id FROM node n JOIN node_label l ON l.node = n.id AND l.label = 'Paper'
                WHERE json_extract(n.props, '$.key') = ? LIMIT 1
                """, arguments: [trimmed])
        }
    }

    /// A paper's categories in the order they were stored, each with whether it is the primary one
    /// (columns `id`, `prim`; the argument is the paper's node). The paper's edges are read by
    /// source through `edge_out`: without table statistics SQLite would rather walk every
    /// IN_CATEGORY edge of the graph in id order (`edge_by_type`) than sort a paper's few, and an
    /// ingest that merges known papers would read all of them once per paper.
    static let paperCategoriesSQL = """
        SELECT json_extract(c.props, '$.id') AS id, json_type(e.props, '$.primary') = 'true' AS prim
        FROM edge e INDEXED BY edge_out JOIN node c ON c.id = e.dst
        WHERE e.src = ? AND e.type = 'IN_CATEGORY' ORDER BY e.id
        """

    /// Everything about the paper `node`; nil when there is no such Paper.
    public func paper(_ node: Int64) throws -> PaperView? {
        try read { db in
            guard let text = try String.fetchOne(db, sql: """
                SELECT n.props FROM node n JOIN node_label l ON l.node = n.id AND l.label = 'Paper' WHERE n.id = ?
                """, arguments: [node]) else { return nil }
            let props = JSONValue.parse(text)?.objectValue ?? [:]
            let authors = try Row.fetchAll(db, sql: """
                SELECT json_extract(a.props, '$.name') AS name, json_extract(e.props, '$.position') AS position,
                       json_extract(e.props, '$.affiliations') AS affiliations
                FROM edge e JOIN node a ON a.id = e.dst
                WHERE e.src = ? AND e.type = 'AUTHORED_BY' ORDER BY position, e.id
                """, arguments: [node]).map { row -> PaperAuthor in
                    let affiliations = (row["affiliations"] as String?).flatMap { JSONValue.parse($0)?.arrayValue }?
                        .compactMap(\.stringValue) ?? []
                    return PaperAuthor(name: row["name"] ?? "", position: row["position"] ?? 0, affiliations: affiliations)
                }
            var categories: [String] = []
            var primary: String?
            for row in try Row.fetchAll(db.cachedStatement(sql: Self.paperCategoriesSQL), arguments: [node]) {
                let id: String = row["id"] ?? ""
                if row["prim"] as Bool? == true {
                    primary = id
                    categories.insert(id, at: 0)
                } else {
                    categories.append(id)
                }
            }
            let sources = try Row.fetchAll(db, sql: """
                SELECT json_extract(s.props, '$.path') AS path, json_extract(s.props, '$.format') AS format, p.line AS line
                FROM provenance p JOIN node s ON s.id = p.source WHERE p.node = ? ORDER BY path
                """, arguments: [node]).map {
                    PaperSource(path: $0["path"] ?? "", format: $0["format"] ?? "", line: $0["line"])
                }
            let identifiers = try Row.fetchAll(db, sql: "SELECT kind, value FROM ident WHERE node = ? ORDER BY kind, value",
                                               arguments: [node]).map { (kind: $0["kind"] as String, value: $0["value"] as String) }
            return PaperView(node: node, props: props, authors: authors, categories: categories,
                             primaryCategory: primary ?? props["primary_category"]?.stringValue,
                             sources: sources, identifiers: identifiers)
        }
    }

    /// Count of nodes with `label` (used by tests and summaries).
    public func count(label: String) throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM node_label WHERE label = ?", arguments: [label]) ?? 0 }
    }

    /// Count of edges of `type`.
    public func count(edgeType: String) throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM edge WHERE type = ?", arguments: [edgeType]) ?? 0 }
    }

    /// Every value of identifier `kind` (`arxiv`, `doi`, `bibkey`, `fingerprint`, `taxonomy`), sorted.
    public func identValues(kind: String) throws -> [String] {
        try read { try String.fetchAll($0, sql: "SELECT value FROM ident WHERE kind = ? ORDER BY value", arguments: [kind]) }
    }

    /// Papers whose title or abstract match an FTS5 query, best first.
    public func searchPapers(_ query: String, limit: Int = 100) throws -> [Int64] {
        do {
            return try read {
                try Int64.fetchAll($0, sql: "SELECT rowid FROM paper_fts WHERE paper_fts MATCH ? ORDER BY rank LIMIT ?",
                                   arguments: [query, limit])
            }
        } catch let error as DatabaseError {
            throw Diagnostic.error("store.search", "bad search '\(query)': \(error.message ?? "\(error)")")
        }
    }
}
