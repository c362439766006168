// The store's side of taxonomy linking: taxonomy nodes kept in step with a taxonomy file (found by
// their `taxonomy` identifier); paper texts and existing links read in one scan each, on a connection
// of their own so that a write session can read on one thread while it writes on another; links
// inserted and deleted in batches of many rows per statement; and the reads that `explain` and the gap
// report need. SQL only; the linking rules (which links to keep, add or remove) live in LitIngest.
import Foundation
import GRDB
import LitModel

/// The edge types from a paper to a taxonomy entry.
public enum LinkTypes {
    public static let all = ["USES_METHOD", "STUDIES", "APPLIES_TO", "ADDRESSES"]
    /// The edge types between taxonomy entries.
    public static let structural = ["SPECIALISES", "CONCERNS"]
    /// The labels of taxonomy nodes.
    public static let labels = ["Method", "ModelClass", "Application", "Gap"]
}

/// A paper's text as the linker reads it: title and abstract as UTF-8, valid during the call only.
public struct PaperText {
    public var node: Int64
    public var title: UnsafeBufferPointer<UInt8>?
    public var abstract: UnsafeBufferPointer<UInt8>?
    public var keywords: [String]
}

/// Edges to insert, packed into one buffer: per edge its type, ends and the end of its property text
/// in `props` (each edge's text follows the previous one's).
public struct EdgeBatch: Sendable {
    var types: [String] = []
    var rows: [(type: Int, src: Int64, dst: Int64, end: Int)] = []
    var props: [UInt8] = []

    public init() {}

    public var count: Int { rows.count }

    /// The property text being written for the next edge (what `writeProps` appended since the last edge).
    public var pendingProps: ArraySlice<UInt8> { props[(rows.last?.end ?? 0)...] }

    /// Appends to the next edge's property text.
    public mutating func writeProps(_ body: (inout [UInt8]) -> Void) { body(&props) }

    /// Adds an edge whose property text is `pendingProps`.
    public mutating func addEdge(type: String, src: Int64, dst: Int64) {
        let t: Int
        if let known = types.firstIndex(of: type) { t = known } else { t = types.count; types.append(type) }
        rows.append((t, src, dst, props.count))
    }

    /// Adds an edge with its property text.
    public mutating func addEdge(type: String, src: Int64, dst: Int64, props text: [UInt8]) {
        discardProps()
        props.append(contentsOf: text)
        addEdge(type: type, src: src, dst: dst)
    }

    /// Appends an edge made elsewhere.
    public mutating func append(_ edge: NewEdge) {
        discardProps()
        props.append(contentsOf: edge.props.utf8)
        addEdge(type: edge.type, src: edge.src, dst: edge.dst)
    }

    /// Drops the property bytes appended since the last edge (an edge not added after all).
    public mutating func discardProps() {
        props.removeLast(props.count - (rows.last?.end ?? 0))
    }
}

/// An edge to insert: type, ends and property text (JSON object).
public struct NewEdge: Sendable, Equatable {
    public var type: String
    public var src: Int64
    public var dst: Int64
    public var props: String

    public init(type: String, src: Int64, dst: Int64, props: String) {
        self.type = type
        self.src = src
        self.dst = dst
        self.props = props
    }
}

/// A link as stored: edge id, type, ends and property text.
public struct StoredLink: Sendable {
    public var id: Int64
    public var type: String
    public var src: Int64
    public var dst: Int64
    public var props: String
}

/// Edges read one at a time (see `GraphWriter.edgeCursor`).
public struct StoredLinkCursor {
    let rows: RowCursor

    public func next() throws -> StoredLink? {
        guard let row = try rows.next() else { return nil }
        return StoredLink(id: row[0], type: row[1], src: row[2], dst: row[3], props: row[4])
    }
}

extension GraphWriter {
    /// The taxonomy node with identifier `id`, created or updated to carry `label` and `props`.
    /// Returns the node and whether anything changed.
    @discardableResult
    public func upsertTaxonomyNode(label: String, id: String, props: [String: JSONValue], line: Int?) throws -> (node: Int64, changed: Bool) {
        var changed = false
        let node: Int64
        if let existing = try self.node(ident: "taxonomy", id) {
            node = existing
            let labels = try String.fetchAll(db.cachedStatement(sql: "SELECT label FROM node_label WHERE node = ?"),
                                             arguments: [node])
            if labels != [label] {
                try db.cachedStatement(sql: "DELETE FROM node_label WHERE node = ?").execute(arguments: [node])
                try addLabel(label, to: node)
                changed = true
            }
            if try self.props(of: node) != props {
                try setProps(node, props)
                changed = true
            }
        } else {
            node = try createNode(label: label, props: props)
            try addIdent("taxonomy", id, node: node)
            changed = true
        }
        try addProvenance(node: node, line: line, fields: [:])
        return (node, changed)
    }

    /// Every taxonomy node: identifier → node.
    public func taxonomyNodes() throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT value, node FROM ident WHERE kind = 'taxonomy'"))
        while let row = try rows.next() { out[row[0]] = row[1] }
        return out
    }

    /// Deletes the taxonomy nodes this writer's source gave whose ids are not in `keep`, with their
    /// edges. Returns the ids removed, sorted, with the nodes they were.
    public func removeTaxonomyNodes(notIn keep: Set<String>) throws -> [(id: String, node: Int64)] {
        var removed: [(id: String, node: Int64)] = []
        for (id, node) in try taxonomyNodes() where !keep.contains(id) {
            let fromHere = try Int64.fetchOne(db.cachedStatement(sql: "SELECT node FROM provenance WHERE node = ? AND source = ?"),
                                              arguments: [node, sourceNode]) != nil
            guard fromHere else { continue }
            try deleteNode(node)
            removed.append((id, node))
        }
        return removed.sorted { $0.id < $1.id }
    }

    /// Deletes a node with its labels, identifiers, provenance and edges.
    public func deleteNode(_ node: Int64) throws {
        for sql in ["DELETE FROM edge WHERE src = ? OR dst = ?"] {
            try db.cachedStatement(sql: sql).execute(arguments: [node, node])
        }
        for sql in ["DELETE FROM node_label WHERE node = ?", "DELETE FROM ident WHERE node = ?",
                    "DELETE FROM provenance WHERE node = ?", "DELETE FROM node WHERE id = ?"] {
            try db.cachedStatement(sql: sql).execute(arguments: [node])
        }
    }

    /// Deletes every edge of the given types whose `via` is one of `vias`; returns how many.
    @discardableResult
    public func deleteEdges(types: [String], vias: [String]) throws -> Int {
        let typeMarks = Array(repeating: "?", count: types.count).joined(separator: ",")
        let viaMarks = Array(repeating: "?", count: vias.count).joined(separator: ",")
        try db.execute(sql: "DELETE FROM edge WHERE type IN (\(typeMarks)) AND json_extract(props, '$.via') IN (\(viaMarks))",
                       arguments: StatementArguments(types + vias))
        return db.changesCount
    }

    /// Deletes the edges with the given ids, many per statement.
    public func deleteEdges(ids: [Int64]) throws {
        try forEachBatch(ids.count, rowsPerStatement: 500, columns: 1) { range, statement in
            statement.setUncheckedArguments(StatementArguments(ids[range].map { $0 as (any DatabaseValueConvertible)? }))
            try statement.execute()
        } sql: { rows in "DELETE FROM edge WHERE id IN (" + Array(repeating: "?", count: rows).joined(separator: ",") + ")" }
    }

    /// Inserts the edges of `batch` in order, many rows per statement, bound through SQLite's C API
    /// from the batch's buffer. Their ids follow the order given.
    ///
    /// `OR FAIL`: a plain INSERT of several rows may abort half way (a NOT NULL column), so SQLite
    /// keeps a statement journal, a temporary file with the original of every page the statement
    /// changes that the transaction had already changed; for a link run that is gigabytes written for
    /// nothing, since a failure rolls the whole session back anyway. FAIL stops at the failing row
    /// without undoing the statement, which needs no such journal.
    public func insertEdges(_ batch: EdgeBatch) throws {
        try batch.props.withUnsafeBufferPointer { props in
            try insertRows(batch.rows.indices, perStatement: Self.edgesPerInsert, &edgeInsertStatements,
                           sql: { Self.edgeInsertSQL[$0] }) { insert, k in
                let row = batch.rows[k]
                insert.bind(batch.types[row.type])
                insert.bind(row.src)
                insert.bind(row.dst)
                insert.bind(borrowing: UnsafeBufferPointer(rebasing: props[(k == 0 ? 0 : batch.rows[k - 1].end)..<row.end]))
            }
        }
    }

    /// Edges per multi-row INSERT in `insertEdges`.
    static let edgesPerInsert = 200

    /// The INSERT of n edges, by n (index 0 unused): written once, not per paper.
    private static let edgeInsertSQL: [String] = (0...edgesPerInsert).map { n in
        "INSERT OR FAIL INTO edge(type, src, dst, props) VALUES "
            + Array(repeating: "(?,?,?,?)", count: max(n, 1)).joined(separator: ",")
    }

    /// Runs `body` over `count` items in chunks of `rowsPerStatement` with a statement made by `sql(rows)`
    /// (cached for full chunks, one more for the tail).
    private func forEachBatch(_ count: Int, rowsPerStatement: Int, columns: Int,
                              _ body: (Range<Int>, Statement) throws -> Void, sql: (Int) -> String) throws {
        var start = 0
        while start < count {
            let rows = min(rowsPerStatement, count - start)
            let statement = rows == rowsPerStatement ? try db.cachedStatement(sql: sql(rows)) : try db.makeStatement(sql: sql(rows))
            try body(start..<(start + rows), statement)
            start += rows
        }
    }

    /// The property text of an asserted edge as `addEdge` writes it: `props` keys in order, then
    /// `line`, `source` (this writer's file) and `via`.
    public func edgePropsText(_ props: KeyValuePairs<String, String>, via: String, line: Int?) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(96 + quotedSource.utf8.count)
        for (key, value) in props {
            precondition(key != "via" && key != "source" && key != "line", "evidence keys are added here")
            JSONValue.appendQuoted(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONValue.appendQuoted(value, to: &bytes)
            bytes.append(UInt8(ascii: ","))
        }
        if let line { bytes.append(contentsOf: "\"line\":\(line),".utf8) }
        bytes.append(contentsOf: "\"source\":".utf8)
        bytes.append(contentsOf: quotedSource.utf8)
        bytes.append(contentsOf: ",\"via\":".utf8)
        JSONValue.appendQuoted(via, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The Paper node an identifier names (arXiv id in any form, DOI, BibTeX key, canonical key).
    public func findPaper(_ text: String) throws -> Int64? {
        try GraphStore.findPaper(text, in: db)
    }
}

/// Reads what linking compares: paper texts and stored links, as committed before the write session
/// that links began (see `GraphStore.readCommitted`).
public struct LinkReader {
    let db: Database

    /// Calls `body` with the text of every Paper node, in node order, in one scan. Each row's
    /// properties are read once, from SQLite's bytes; the text is only valid during the call.
    public func forEachPaperText(_ body: (PaperText) throws -> Void) throws {
        var title: [UInt8] = [], abstract: [UInt8] = []
        try forEachRow(db, sql: """
            SELECT n.id, n.props FROM node_label l JOIN node n ON n.id = l.node WHERE l.label = 'Paper' ORDER BY n.id
            """) { row in
            let props = row.bytes(1)
            var titleMember: JSONMember?, abstractMember: JSONMember?, keywordsMember: JSONMember?
            var members = JSONMembers.Iterator(props)
            while let (name, member) = members.next() {
                if JSONMembers.name(name, is: "title") { if titleMember == nil { titleMember = member } }
                else if JSONMembers.name(name, is: "abstract") { if abstractMember == nil { abstractMember = member } }
                else if JSONMembers.name(name, is: "keywords") { if keywordsMember == nil { keywordsMember = member } }
            }
            var keywords: [String] = []
            if let list = keywordsMember, list.kind == .array {
                JSONMembers.forEachElement(props, list) { if $0.kind == .text { keywords.append(JSONMembers.string(props, $0)) } }
            }
            /// A text member's bytes: in place when it has no escapes, else unescaped into `buffer`.
            func text(_ member: JSONMember?, _ buffer: inout [UInt8], _ use: (UnsafeBufferPointer<UInt8>?) throws -> Void) rethrows {
                guard let member, member.kind == .text else { return try use(nil) }
                let inner = UnsafeBufferPointer(rebasing: props[(member.start + 1)..<(member.end - 1)])
                guard inner.contains(UInt8(ascii: "\\")) else { return try use(inner) }
                buffer.removeAll(keepingCapacity: true)
                JSONMembers.appendUnescaped(inner, to: &buffer)
                try buffer.withUnsafeBufferPointer { try use($0) }
            }
            try text(titleMember, &title) { title in
                try text(abstractMember, &abstract) { abstract in
                    try body(PaperText(node: row.int64(0), title: title, abstract: abstract, keywords: keywords))
                }
            }
        }
    }

    /// Whether any edge of `types` whose `via` is one of `vias` exists.
    public func hasEdges(types: [String], vias: [String]) throws -> Bool {
        let typeMarks = Array(repeating: "?", count: types.count).joined(separator: ",")
        let viaMarks = Array(repeating: "?", count: vias.count).joined(separator: ",")
        return try Int64.fetchOne(db, sql: """
            SELECT 1 FROM edge WHERE type IN (\(typeMarks)) AND json_extract(props, '$.via') IN (\(viaMarks)) LIMIT 1
            """, arguments: StatementArguments(types + vias)) != nil
    }

    /// A cursor over the edges of `types` whose `via` is one of `vias`, by source node, in
    /// one scan of the outgoing-edge index.
    public func edgeCursor(types: [String], vias: [String]) throws -> StoredLinkCursor {
        let typeMarks = Array(repeating: "?", count: types.count).joined(separator: ",")
        let viaMarks = Array(repeating: "?", count: vias.count).joined(separator: ",")
        let statement = try db.makeStatement(sql: """
            SELECT id, type, src, dst, props FROM edge INDEXED BY edge_out
            WHERE type IN (\(typeMarks)) AND json_extract(props, '$.via') IN (\(viaMarks)) ORDER BY src
            """)
        statement.setUncheckedArguments(StatementArguments(types + vias))
        return StoredLinkCursor(rows: try Row.fetchCursor(statement))
    }
}

extension GraphStore {
    /// Runs `body` in a read transaction on a connection of its own, opened for the call: it sees the
    /// database as last committed, whatever a write session on this store's connection has changed
    /// since, and may run on another thread while that session writes (WAL lets one writer and
    /// readers work at once).
    public func readCommitted<T>(_ body: (LinkReader) throws -> T) throws -> T {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: config)
        return try queue.read { db in try body(LinkReader(db: db)) }
    }
}

/// One link of a paper to a taxonomy entry, with its evidence.
public struct LinkView: Sendable, Equatable {
    public var type: String
    public var label: String
    public var id: String
    public var name: String
    public var via: String
    public var source: String?
    public var line: Int?
    public var field: String?
    public var phrase: String?
    public var model: String?
}

/// A taxonomy entry as the gap report reads it.
public struct TaxonomyNodeView: Sendable, Equatable {
    public var node: Int64
    public var label: String
    public var id: String
    public var name: String
    public var description: String?
    /// Parent entry id (SPECIALISES target).
    public var parent: String?

    public init(node: Int64, label: String, id: String, name: String, description: String?, parent: String?) {
        self.node = node
        self.label = label
        self.id = id
        self.name = name
        self.description = description
        self.parent = parent
    }
}

extension GraphStore {
    /// Resolves an identifier to a Paper node inside an open transaction.
    static func findPaper(_ text: String, in db: Database) throws -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func lookup(_ kind: String, _ value: String) throws -> Int64? {
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT node FROM ident WHERE kind = ? AND value = ?"),
                               arguments: [kind, value])
        }
        if let arxiv = ArxivID(trimmed), let node = try lookup("arxiv", arxiv.base) { return node }
        if let doi = DOI.normalise(trimmed), let node = try lookup("doi", doi) { return node }
        if let node = try lookup("bibkey", trimmed) { return node }
        // Through the expression index on the key, never a scan of the papers.
        return try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT n.id FROM node n INDEXED BY node_prop_key WHERE json_extract(n.props, '$.key') = ?
            AND EXISTS (SELECT 1 FROM node_label l WHERE l.node = n.id AND l.label = 'Paper') LIMIT 1
            """), arguments: [trimmed])
    }

    /// Paths of the Source nodes recorded with format `taxonomy`, oldest first.
    public func taxonomySources() throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT json_extract(n.props, '$.path') FROM node_label l JOIN node n ON n.id = l.node
                WHERE l.label = 'Source' AND json_extract(n.props, '$.format') = 'taxonomy' ORDER BY n.id
                """)
        }
    }

    /// Every link of `paper` to a taxonomy entry with its evidence, curated first, then by type and id.
    public func links(ofPaper paper: Int64) throws -> [LinkView] {
        let marks = LinkTypes.all.map { _ in "?" }.joined(separator: ",")
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.type, l.label, json_extract(t.props, '$.id') AS id, json_extract(t.props, '$.name') AS name,
                       json_extract(e.props, '$.via') AS via, json_extract(e.props, '$.source') AS source,
                       json_extract(e.props, '$.line') AS line, json_extract(e.props, '$.field') AS field,
                       json_extract(e.props, '$.phrase') AS phrase, json_extract(e.props, '$.model') AS model
                FROM edge e JOIN node t ON t.id = e.dst JOIN node_label l ON l.node = t.id
                WHERE e.src = ? AND e.type IN (\(marks))
                ORDER BY via = 'lexicon', e.type, id
                """, arguments: StatementArguments([paper] as [Int64]) + StatementArguments(LinkTypes.all))
            .map { row in
                LinkView(type: row["type"], label: row["label"], id: row["id"] ?? "?", name: row["name"] ?? "",
                         via: row["via"] ?? "?", source: row["source"], line: row["line"], field: row["field"],
                         phrase: row["phrase"], model: row["model"])
            }
        }
    }

    /// The taxonomy entries with one of `labels`, in creation order.
    public func taxonomyEntries(labels: [String] = LinkTypes.labels) throws -> [TaxonomyNodeView] {
        let marks = labels.map { _ in "?" }.joined(separator: ",")
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT n.id AS node, l.label, json_extract(n.props, '$.id') AS id, json_extract(n.props, '$.name') AS name,
                       json_extract(n.props, '$.description') AS description,
                       (SELECT json_extract(p.props, '$.id') FROM edge s JOIN node p ON p.id = s.dst
                        WHERE s.src = n.id AND s.type = 'SPECIALISES' LIMIT 1) AS parent
                FROM node_label l JOIN node n ON n.id = l.node
                WHERE l.label IN (\(marks)) ORDER BY n.id
                """, arguments: StatementArguments(labels))
            .map { row in
                TaxonomyNodeView(node: row["node"], label: row["label"], id: row["id"] ?? "", name: row["name"] ?? "",
                                 description: row["description"], parent: row["parent"])
            }
        }
    }

    /// (method node, model class node, paper) for every paper linked to both, with the paper's summary.
    public func methodClassPapers() throws -> [(method: Int64, modelClass: Int64, paper: PaperSummary)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.dst AS method, s.dst AS class, p.id AS node, json_extract(p.props, '$.key') AS key,
                       json_extract(p.props, '$.arxiv') AS arxiv, json_extract(p.props, '$.title') AS title,
                       json_extract(p.props, '$.year') AS year
                FROM edge m JOIN edge s ON s.src = m.src AND s.type = 'STUDIES'
                JOIN node p ON p.id = m.src
                WHERE m.type = 'USES_METHOD'
                """)
            .map { row in
                (row["method"], row["class"], PaperSummary(id: row["node"], key: row["key"], arxiv: row["arxiv"],
                                                           title: row["title"], year: row["year"]))
            }
        }
    }

    /// Gap node → the nodes it concerns.
    public func gapConcerns() throws -> [Int64: [Int64]] {
        try read { db in
            var out: [Int64: [Int64]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT src, dst FROM edge WHERE type = 'CONCERNS' ORDER BY id") {
                out[row[0], default: []].append(row[1])
            }
            return out
        }
    }

    /// Gap node → the papers addressing it.
    public func gapPapers() throws -> [Int64: [PaperSummary]] {
        try read { db in
            var out: [Int64: [PaperSummary]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT e.dst AS gap, p.id AS node, json_extract(p.props, '$.key') AS key,
                       json_extract(p.props, '$.arxiv') AS arxiv, json_extract(p.props, '$.title') AS title,
                       json_extract(p.props, '$.year') AS year
                FROM edge e JOIN node p ON p.id = e.src WHERE e.type = 'ADDRESSES'
                """) {
                out[row["gap"], default: []].append(PaperSummary(id: row["node"], key: row["key"], arxiv: row["arxiv"],
                                                                 title: row["title"], year: row["year"]))
            }
            return out
        }
    }
}
