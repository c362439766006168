// Reads for the exporters: the whole graph streamed in id order (GraphML, JSON, Neo4j CSV) and the
// domain slices the diagrams need (paper summaries, edges of one type, taxonomy entries). All reads
// of one export run in one snapshot, so an ingest running meanwhile cannot tear the output.
import Foundation
import GRDB
import LitModel

/// A node as stored: its id, its labels (sorted) and its property map.
public struct StoredNode: Sendable, Hashable {
    public var id: Int64
    public var labels: [String]
    public var properties: [String: JSONValue]
}

/// A directed, typed edge as stored.
public struct StoredEdge: Sendable, Hashable {
    public var id: Int64
    public var type: String
    public var source: Int64
    public var target: Int64
    public var properties: [String: JSONValue]
}

/// A taxonomy entry (`Method`, `ModelClass`, `Application`, `Gap`) as stored.
public struct TaxonomyEntry: Sendable, Hashable {
    public var node: Int64
    /// The taxonomy id (`causal-tracing`); the node id as text when the node has none.
    public var id: String
    public var name: String
    public var description: String?
}

/// What names a paper and places it in time: enough to rank and name papers without reading them whole.
public struct PaperHandle: Sendable, Hashable {
    public var id: Int64
    public var key: String?
    public var arxiv: String?
    public var doi: String?
    public var year: Int?
}

/// A `(source, target)` pair of an edge of a known type.
public struct EdgeEnds: Sendable, Hashable {
    public var source: Int64
    public var target: Int64
    public init(source: Int64, target: Int64) {
        self.source = source
        self.target = target
    }
}

/// Reads inside one snapshot; obtain one with `GraphStore.readGraph(_:)`.
public struct GraphReader {
    let db: Database

    /// Calls `body` for every node in id order.
    public func forEachNode(_ body: (StoredNode) throws -> Void) throws {
        let labels = try db.cachedStatement(sql: "SELECT node, label FROM node_label ORDER BY node, label")
        let labelCursor = try Row.fetchCursor(labels)
        var pending: (Int64, String)? = nil
        if let row = try labelCursor.next() { pending = (row[0], row[1]) }
        let nodes = try Row.fetchCursor(db, sql: "SELECT id, props FROM node ORDER BY id")
        while let row = try nodes.next() {
            let id: Int64 = row[0]
            var names: [String] = []
            while let (node, label) = pending, node <= id {
                if node == id { names.append(label) }
                if let next = try labelCursor.next() { pending = (next[0], next[1]) } else { pending = nil }
            }
            let props: String = row[1]
            try body(StoredNode(id: id, labels: names, properties: try decodeProps(props)))
        }
    }

    /// Calls `body` for every edge in id order.
    public func forEachEdge(_ body: (StoredEdge) throws -> Void) throws {
        let edges = try Row.fetchCursor(db, sql: "SELECT id, type, src, dst, props FROM edge ORDER BY id")
        while let row = try edges.next() {
            let props: String = row[4]
            try body(StoredEdge(id: row[0], type: row[1], source: row[2], target: row[3],
                                properties: try decodeProps(props)))
        }
    }

    /// Node count per label and edge count per type.
    public func counts() throws -> (nodes: [String: Int], edges: [String: Int]) {
        var nodes: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT label, count(*) FROM node_label GROUP BY label") {
            nodes[row[0]] = row[1]
        }
        var edges: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT type, count(*) FROM edge GROUP BY type") {
            edges[row[0]] = row[1]
        }
        return (nodes, edges)
    }

    /// Summaries of the given papers (every `Paper` when `ids` is nil), in id order.
    public func papers(ids: [Int64]? = nil) throws -> [PaperSummary] {
        let firstAuthor = """
            (SELECT coalesce(json_extract(a.props, '$.family'), json_extract(a.props, '$.name'))
               FROM edge e JOIN node a ON a.id = e.dst
              WHERE e.src = n.id AND e.type = 'AUTHORED_BY'
              ORDER BY coalesce(json_extract(e.props, '$.position'), 1000000), e.id LIMIT 1)
            """
        let authorCount = "(SELECT count(*) FROM edge e WHERE e.src = n.id AND e.type = 'AUTHORED_BY')"
        let columns = """
            n.id, json_extract(n.props, '$.key'), json_extract(n.props, '$.arxiv'), json_extract(n.props, '$.doi'),
            json_extract(n.props, '$.title'), json_extract(n.props, '$.year'), \(firstAuthor), \(authorCount),
            json_type(n.props, '$.stub')
            """
        let (sql, arguments) = paperScan(columns, ids: ids)
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            PaperSummary(id: row[0], key: row[1], arxiv: row[2], doi: row[3], title: row[4], year: year(row[5]),
                         firstAuthor: row[6], authorCount: row[7], stub: (row[8] as String?) == "true")
        }
    }

    /// Handles of the given papers (every `Paper` when `ids` is nil), in id order: one scan, no
    /// author lookups.
    public func paperHandles(ids: [Int64]? = nil) throws -> [PaperHandle] {
        let columns = """
            n.id, json_extract(n.props, '$.key'), json_extract(n.props, '$.arxiv'), json_extract(n.props, '$.doi'),
            json_extract(n.props, '$.year')
            """
        let (sql, arguments) = paperScan(columns, ids: ids)
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        var handles: [PaperHandle] = []
        while let row = try cursor.next() {
            handles.append(PaperHandle(id: row[0], key: row[1], arxiv: row[2], doi: row[3], year: year(row[4])))
        }
        return handles
    }

    /// A stored year as an integer, whether it was stored as one, a real or text.
    private func year(_ value: DatabaseValue) -> Int? {
        switch value.storage {
        case .int64(let v): return Int(v)
        case .double(let v): return Int(exactly: v.rounded(.towardZero))
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// Every edge of `type`, ordered by (source, target).
    public func edges(type: String) throws -> [EdgeEnds] {
        try ends(Row.fetchCursor(db, sql: "SELECT src, dst FROM edge WHERE type = ? ORDER BY src, dst, id",
                                 arguments: [type]))
    }

    /// Edges of `type` leaving (`outgoing`) or entering the given nodes.
    public func edges(type: String, touching nodes: [Int64], outgoing: Bool) throws -> [EdgeEnds] {
        guard !nodes.isEmpty else { return [] }
        let end = outgoing ? "src" : "dst"
        return try ends(Row.fetchCursor(db, sql: """
            SELECT src, dst FROM edge WHERE type = ? AND \(end) IN (SELECT value FROM json_each(?))
             ORDER BY src, dst, id
            """, arguments: [type, idList(nodes)]))
    }

    /// Distinct edges of `type` with both ends among `nodes` (and not a loop), by (source, target).
    public func edges(type: String, among nodes: [Int64]) throws -> [EdgeEnds] {
        let members = Set(nodes)
        var seen = Set<EdgeEnds>()
        // One indexed lookup per source; the targets are checked here, not by a second IN list.
        return try edges(type: type, touching: nodes.sorted(), outgoing: true).filter {
            $0.source != $0.target && members.contains($0.target) && seen.insert($0).inserted
        }
    }

    /// For each node, how many distinct nodes point at it (`incoming`) and it points at (`outgoing`)
    /// through `type` edges, counting only edges with both ends in `nodes` (every edge when nil) and
    /// leaving out loops. One scan of the edges of that type.
    public func degrees(type: String, among nodes: [Int64]? = nil) throws -> (incoming: [Int64: Int], outgoing: [Int64: Int]) {
        var incoming: [Int64: Int] = [:], outgoing: [Int64: Int] = [:]
        if let nodes {
            for edge in try edges(type: type, among: nodes) {
                incoming[edge.target, default: 0] += 1
                outgoing[edge.source, default: 0] += 1
            }
            return (incoming, outgoing)
        }
        var seen = Set<EdgeEnds>()
        let cursor = try Row.fetchCursor(db, sql: "SELECT src, dst FROM edge WHERE type = ? AND src != dst", arguments: [type])
        while let row = try cursor.next() {
            let edge = EdgeEnds(source: row[0], target: row[1])
            guard seen.insert(edge).inserted else { continue }
            incoming[edge.target, default: 0] += 1
            outgoing[edge.source, default: 0] += 1
        }
        return (incoming, outgoing)
    }

    private func ends(_ cursor: RowCursor) throws -> [EdgeEnds] {
        var result: [EdgeEnds] = []
        while let row = try cursor.next() { result.append(EdgeEnds(source: row[0], target: row[1])) }
        return result
    }

    private func idList(_ nodes: [Int64]) -> String {
        "[" + nodes.map(String.init).joined(separator: ",") + "]"
    }

    /// `columns` of the given papers (every `Paper` when `ids` is nil), in id order; `n` is the node.
    private func paperScan(_ columns: String, ids: [Int64]?) -> (String, StatementArguments) {
        guard let ids else {
            return ("SELECT \(columns) FROM node_label l JOIN node n ON n.id = l.node WHERE l.label = 'Paper' ORDER BY n.id", [])
        }
        return ("""
            SELECT \(columns) FROM node n
             WHERE n.id IN (SELECT value FROM json_each(?))
               AND EXISTS (SELECT 1 FROM node_label l WHERE l.node = n.id AND l.label = 'Paper')
             ORDER BY n.id
            """, [idList(ids)])
    }

    /// Every node of a taxonomy label, ordered by taxonomy id.
    public func taxonomy(label: String) throws -> [TaxonomyEntry] {
        try Row.fetchAll(db, sql: """
            SELECT n.id, json_extract(n.props, '$.id'), json_extract(n.props, '$.name'),
                   json_extract(n.props, '$.description')
              FROM node_label l JOIN node n ON n.id = l.node WHERE l.label = ? ORDER BY n.id
            """, arguments: [label]).map { row in
            let node: Int64 = row[0]
            let id = (row[1] as DatabaseValue).storage.textValue ?? String(node)
            let name = (row[2] as DatabaseValue).storage.textValue ?? id
            return TaxonomyEntry(node: node, id: id, name: name, description: row[3])
        }.sorted { ($0.id, $0.node) < ($1.id, $1.node) }
    }

    /// The Paper a citation key names: any BibTeX key seen for it (old keys included), its
    /// canonical `key`, or an arXiv id; exact case first, then ignoring case as bibtex does.
    public func paper(citedAs key: String) throws -> Int64? {
        let isPaper = "EXISTS (SELECT 1 FROM node_label l WHERE l.node = %@ AND l.label = 'Paper')"
        if let node = try Int64.fetchOne(db, sql: """
            SELECT i.node FROM ident i WHERE i.kind = 'bibkey' AND i.value = ? AND \(isPaper.replacingOccurrences(of: "%@", with: "i.node"))
            """, arguments: [key]) { return node }
        if let node = try Int64.fetchOne(db, sql: """
            SELECT n.id FROM node n WHERE json_extract(n.props, '$.key') = ? AND \(isPaper.replacingOccurrences(of: "%@", with: "n.id"))
             ORDER BY n.id LIMIT 1
            """, arguments: [key]) { return node }
        if let arxiv = ArxivID(key) {
            if let node = try Int64.fetchOne(db, sql: "SELECT node FROM ident WHERE kind = 'arxiv' AND value = ?",
                                             arguments: [arxiv.base]) { return node }
            if let node = try Int64.fetchOne(db, sql: """
                SELECT n.id FROM node n WHERE json_extract(n.props, '$.arxiv') = ? AND \(isPaper.replacingOccurrences(of: "%@", with: "n.id"))
                 ORDER BY n.id LIMIT 1
                """, arguments: [arxiv.base]) { return node }
        }
        return try Int64.fetchOne(db, sql: """
            SELECT i.node FROM ident i WHERE i.kind = 'bibkey' AND i.value = ? COLLATE NOCASE
               AND \(isPaper.replacingOccurrences(of: "%@", with: "i.node")) ORDER BY i.node LIMIT 1
            """, arguments: [key])
    }

    /// The node an identifier names: an arXiv id (any version or form), a DOI, a BibTeX key, a
    /// taxonomy id, or a node's `key` property; nil when nothing matches.
    public func node(identifiedBy text: String) throws -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var candidates: [(String, String)] = []
        if let arxiv = ArxivID(trimmed) { candidates.append(("arxiv", arxiv.base)) }
        if let doi = DOI.normalise(trimmed) { candidates.append(("doi", doi)) }
        candidates.append(("bibkey", trimmed))
        candidates.append(("taxonomy", trimmed))
        for (kind, value) in candidates {
            if let node = try Int64.fetchOne(db, sql: "SELECT node FROM ident WHERE kind = ? AND value = ?",
                                             arguments: [kind, value]) {
                return node
            }
        }
        for key in ["key", "arxiv", "doi", "id"] {
            let value = key == "arxiv" ? (ArxivID(trimmed)?.base ?? trimmed) : trimmed
            if let node = try Int64.fetchOne(db, sql: "SELECT id FROM node WHERE json_extract(props, '$.\(key)') = ? ORDER BY id LIMIT 1",
                                             arguments: [value]) {
                return node
            }
        }
        return nil
    }
}

extension DatabaseValue.Storage {
    var textValue: String? {
        switch self {
        case .string(let s): return s
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        default: return nil
        }
    }
}

extension GraphStore {
    /// Runs `body` with a reader over one consistent snapshot of the graph.
    public func readGraph<T>(_ body: (GraphReader) throws -> T) throws -> T {
        try read { db in try body(GraphReader(db: db)) }
    }
}

/// A `props` column as a property map; anything but a JSON object means a damaged database.
func decodeProps(_ text: String) throws -> [String: JSONValue] {
    guard let map = JSONValue.parse(text)?.objectValue else {
        throw Diagnostic.error("store.props", "stored properties are not a JSON object: \(text.prefix(80))")
    }
    return map
}
