// The store's write side: one GraphWriter per ingested file, inside one transaction. It keeps its
// statements prepared for the session (driven through SQLite's C API on the hot path), interns
// Author/Category/Venue nodes in memory, gathers full-text rows into batches, and records the file
// as a Source node with provenance. If the session body throws, nothing of the file is stored.
import Foundation
import GRDB
import LitModel

/// An input file as the store records it: a `Source` node, found again by its path.
public struct SourceFile: Sendable, Hashable {
    /// The path stored on the Source node and on edges (`source`): absolute, standardised.
    public var path: String
    /// `atom`, `bibtex`, `citations`, `taxonomy`.
    public var format: String
    /// Hex SHA-256 of the content; may be set later through `GraphWriter.sha256`.
    public var sha256: String?

    public init(path: String, format: String, sha256: String? = nil) {
        self.path = path
        self.format = format
        self.sha256 = sha256
    }
}

/// Interned node ids that outlive one file's session (one ingest run). Entries made in a session
/// are taken out again when its transaction does not commit.
public final class InternCache: @unchecked Sendable {
    /// One label's interned nodes: value → node.
    final class Table {
        var ids: [String: Int64] = [:]
        /// Whether every node of the label is in `ids`: a miss means the node does not exist yet.
        var complete = false
    }

    /// label → its table.
    private var tables: [String: Table] = [:]

    public init() {}

    func table(_ label: String) -> Table {
        if let table = tables[label] { return table }
        let table = Table()
        tables[label] = table
        return table
    }
}

extension GraphStore {
    /// Runs `body` with a writer for `source` in one write transaction: everything `body` writes is
    /// stored, or nothing when it throws.
    ///
    ///     try store.writeSession(source: SourceFile(path: p, format: "atom")) { w in try w.upsert(r, into: w.resolve(r)) }
    public func writeSession<T>(source: SourceFile, cache: InternCache? = nil,
                                _ body: (GraphWriter) throws -> T) throws -> T {
        var session: GraphWriter?
        do {
            return try write { db in
                // A larger page cache for bulk writes: the pages being appended to and the identifier
                // index stay in memory across a file (32 MB: peak memory stays well under 150 MB).
                try db.execute(sql: "PRAGMA cache_size = -32768")
                let writer = try GraphWriter(db: db, source: source, cache: cache)
                session = writer
                let value = try body(writer)
                try writer.finish()
                return value
            }
        } catch {
            // Rolled back: the nodes this session interned are gone.
            session?.forgetInterned()
            throw error
        }
    }
}

/// How `upsert` merges a record into an existing node.
public enum MergePolicy: Sendable {
    /// A record with a newer arXiv version replaces the fields it states; anything else only fills
    /// fields the node lacks.
    case automatic
    /// The record's stated fields win.
    case replace
    /// Only fields (and author/category lists) the node lacks are added.
    case fillMissing
}

/// What `upsert` did to the paper.
public enum UpsertOutcome: String, Sendable {
    case created, updated, unchanged
}

public struct UpsertResult: Sendable {
    public var node: Int64
    public var outcome: UpsertOutcome
}

/// Writes one source file's contribution to the graph. Create through `GraphStore.writeSession`.
public final class GraphWriter {
    let db: Database
    public let source: SourceFile
    /// The Source node of this file.
    public private(set) var sourceNode: Int64 = 0
    /// Set before the session ends to record the file's content hash on its Source node.
    public var sha256: String?
    /// The run's interned nodes, or the session's own when there is no run cache.
    let interned: InternCache
    /// Whether `interned` is the run's: its tables are then loaded whole on first use (`preload`).
    let runCache: Bool
    /// Entries this session put into `interned`, taken out again if it rolls back.
    private var internedHere: [(table: InternCache.Table, value: String)] = []
    /// The source path as a JSON string literal, spliced into edge properties.
    let quotedSource: String
    var fingerprintMemo: (title: String, year: Int, author: String, value: String?)?
    /// The session's statements, each prepared on first use (`prepared`) and found without hashing its SQL.
    private var insertNodeStatement, insertLabelStatement, selectPropsStatement, updatePropsStatement: RawStatement?
    private var selectIdentStatement, insertIdentStatement, insertProvenanceStatement: RawStatement?
    private var insertEdgeStatement, edgeExistsStatement, outDegreeStatement, deleteEdgesStatement: RawStatement?
    private var insertTextStatement, textIndexedStatement, deleteTextStatement: RawStatement?
    /// Multi-row INSERTs by number of rows (`insertEdges`, `addIdents`, `createNodes`).
    var edgeInsertStatements: [RawStatement?] = []
    var identInsertStatements: [RawStatement?] = []
    var labelInsertStatements: [RawStatement?] = []
    var internProvenanceStatements: [RawStatement?] = []
    /// The edges of the paper being stored, kept between papers for its buffers (`takeEdgeBatch`).
    var edgeBatch = EdgeBatch()
    /// Full-text rows of new papers not yet in `paper_fts` (see `indexText`), their positions by
    /// node, and their text size.
    var pendingText: [(node: Int64, title: String, abstract: String)] = []
    var pendingTextIndex: [Int64: Int] = [:]
    var pendingTextBytes = 0

    init(db: Database, source: SourceFile, cache: InternCache?) throws {
        self.db = db
        self.source = source
        self.interned = cache ?? InternCache()
        self.runCache = cache != nil
        self.sha256 = source.sha256
        var quoted = ""
        JSONValue.appendQuoted(source.path, to: &quoted)
        self.quotedSource = quoted
        self.sourceNode = try findOrCreateSource()
    }

    // MARK: Source

    private func findOrCreateSource() throws -> Int64 {
        let existing = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT n.id FROM node_label l JOIN node n ON n.id = l.node
            WHERE l.label = 'Source' AND json_extract(n.props, '$.path') = ? ORDER BY n.id LIMIT 1
            """), arguments: [source.path])
        if let existing { return existing }
        let props: [String: JSONValue] = ["path": .string(source.path), "format": .string(source.format)]
        return try createNode(label: "Source", props: props)
    }

    /// Records the hash and time on the Source node; both stay as they were when the content is unchanged.
    func finish() throws {
        try flushText()
        var props = try self.props(of: sourceNode)
        let oldHash = props["sha256"]?.stringValue
        var changed = false
        if let sha256, sha256 != oldHash {
            props["sha256"] = .string(sha256)
            props["ingested_at"] = .string(ISO8601DateFormatter().string(from: Date()))
            changed = true
        } else if props["ingested_at"] == nil {
            props["ingested_at"] = .string(ISO8601DateFormatter().string(from: Date()))
            changed = true
        }
        if props["format"]?.stringValue != source.format {
            props["format"] = .string(source.format)
            changed = true
        }
        if changed { try setProps(sourceNode, props) }
    }

    // MARK: Statements

    /// The statement in `slot`, prepared from `sql` on first use.
    func prepared(_ slot: inout RawStatement?, _ sql: @autoclosure () -> String) throws -> RawStatement {
        if let statement = slot { return statement }
        let statement = try RawStatement(db, sql: sql())
        slot = statement
        return statement
    }

    /// The statement in `slots[index]`, prepared from `sql` on first use.
    func prepared(_ slots: inout [RawStatement?], _ index: Int, _ sql: @autoclosure () -> String) throws -> RawStatement {
        if index < slots.count, let statement = slots[index] { return statement }
        if index >= slots.count { slots += Array(repeating: nil, count: index + 1 - slots.count) }
        let statement = try RawStatement(db, sql: sql())
        slots[index] = statement
        return statement
    }

    /// Inserts the rows `rows` many to a statement, in order: statements of up to `perStatement`
    /// rows, each prepared once per row count into `slots` from `sql(n)`; `bind` binds one row's
    /// values.
    func insertRows(_ rows: Range<Int>, perStatement: Int, _ slots: inout [RawStatement?], sql: (Int) -> String,
                    bind: (RawStatement, Int) -> Void) throws {
        var start = rows.lowerBound
        while start < rows.upperBound {
            let n = min(perStatement, rows.upperBound - start)
            let insert = try prepared(&slots, n, sql(n))
            for row in start..<(start + n) { bind(insert, row) }
            try insert.execute()
            start += n
        }
    }

    /// Runs a statement with GRDB's argument binding (for the less frequent writes).
    func run(_ sql: String, _ arguments: StatementArguments) throws {
        let statement = try db.cachedStatement(sql: sql)
        statement.setUncheckedArguments(arguments)
        try statement.execute()
    }

    // MARK: Generic graph writes

    /// Creates a node with one label and its properties; returns its id.
    @discardableResult
    public func createNode(label: String, props: [String: JSONValue]) throws -> Int64 {
        var json: [UInt8] = []
        JSONValue.object(props).encode(into: &json)
        return try createNode(label: label, json: json)
    }

    /// Creates a node with one label from its property map's canonical JSON text.
    func createNode(label: String, json: [UInt8]) throws -> Int64 {
        let id = try insertNode(json)
        try addLabel(label, to: id)
        return id
    }

    /// Inserts a node row with the property text `json`; returns its id (the one after the
    /// table's largest).
    private func insertNode(_ json: [UInt8]) throws -> Int64 {
        let insert = try prepared(&insertNodeStatement, "INSERT INTO node(props) VALUES (?)")
        try json.withUnsafeBufferPointer { json in
            insert.bind(borrowing: json)
            try insert.execute()
        }
        return db.lastInsertedRowID
    }

    public func addLabel(_ label: String, to node: Int64) throws {
        let insert = try prepared(&insertLabelStatement, "INSERT OR IGNORE INTO node_label(node, label) VALUES (?, ?)")
        insert.bind(node)
        insert.bind(label)
        try insert.execute()
    }

    /// The property map of `node` (empty when the node does not exist).
    public func props(of node: Int64) throws -> [String: JSONValue] {
        let select = try prepared(&selectPropsStatement, "SELECT props FROM node WHERE id = ?")
        select.bind(node)
        defer { select.reset() }
        guard try select.step(), let text = select.text(0) else { return [:] }
        return JSONValue.parse(text)?.objectValue ?? [:]
    }

    public func setProps(_ node: Int64, _ props: [String: JSONValue]) throws {
        var json: [UInt8] = []
        JSONValue.object(props).encode(into: &json)
        let update = try prepared(&updatePropsStatement, "UPDATE node SET props = ? WHERE id = ?")
        try json.withUnsafeBufferPointer { json in
            update.bind(borrowing: json)
            update.bind(node)
            try update.execute()
        }
    }

    /// Adds a directed edge. `props` gets the evidence: `via`, `source` (this file) and `line` when given.
    @discardableResult
    public func addEdge(_ type: String, from src: Int64, to dst: Int64, props: [String: JSONValue] = [:],
                        via: String, line: Int?) throws -> Int64 {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(128)
        for key in props.keys.sorted() where key != "via" && key != "source" && key != "line" {
            JSONValue.appendQuoted(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            props[key]!.encode(into: &bytes)
            bytes.append(UInt8(ascii: ","))
        }
        appendEvidence(via: via, line: line, to: &bytes)
        let insert = try prepared(&insertEdgeStatement, "INSERT INTO edge(type, src, dst, props) VALUES (?, ?, ?, ?)")
        insert.bind(type)
        insert.bind(src)
        insert.bind(dst)
        insert.bind(utf8: bytes)
        try insert.execute()
        return db.lastInsertedRowID
    }

    /// Ends an edge's property object: `"line":N,"source":"…","via":"…"}` after the sorted other keys.
    func appendEvidence(via: String, line: Int?, to bytes: inout [UInt8]) {
        Self.appendEvidence(via: via, line: line, quotedSource: quotedSource.utf8, to: &bytes)
    }

    static func appendEvidence(via: String, line: Int?, source: String, to bytes: inout [UInt8]) {
        var quoted: [UInt8] = []
        JSONValue.appendQuoted(source, to: &quoted)
        quoted.withUnsafeBufferPointer { appendEvidence(via: via, line: line, quotedSource: $0, to: &bytes) }
    }

    private static func appendEvidence<S: Sequence>(via: String, line: Int?, quotedSource: S,
                                                    to bytes: inout [UInt8]) where S.Element == UInt8 {
        if let line {
            bytes.append(contentsOf: "\"line\":".utf8)
            bytes.append(contentsOf: String(line).utf8)
            bytes.append(UInt8(ascii: ","))
        }
        bytes.append(contentsOf: "\"source\":".utf8)
        bytes.append(contentsOf: quotedSource)
        bytes.append(contentsOf: ",\"via\":".utf8)
        JSONValue.appendQuoted(via, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// Whether an edge of `type` from `src` to `dst` exists.
    public func edgeExists(_ type: String, from src: Int64, to dst: Int64) throws -> Bool {
        let select = try prepared(&edgeExistsStatement, "SELECT 1 FROM edge WHERE src = ? AND type = ? AND dst = ? LIMIT 1")
        select.bind(src)
        select.bind(type)
        select.bind(dst)
        defer { select.reset() }
        return try select.step()
    }

    /// Number of edges of `type` leaving `src`.
    public func outDegree(_ type: String, from src: Int64) throws -> Int {
        let select = try prepared(&outDegreeStatement, "SELECT count(*) FROM edge WHERE src = ? AND type = ?")
        select.bind(src)
        select.bind(type)
        defer { select.reset() }
        return try select.step() ? Int(select.int64(0)) : 0
    }

    /// Deletes the edges of `type` leaving `src`.
    public func deleteEdges(_ type: String, from src: Int64) throws {
        let delete = try prepared(&deleteEdgesStatement, "DELETE FROM edge WHERE src = ? AND type = ?")
        delete.bind(src)
        delete.bind(type)
        try delete.execute()
    }

    /// The node an identifier names, if any.
    public func node(ident kind: String, _ value: String) throws -> Int64? {
        let select = try prepared(&selectIdentStatement, "SELECT node FROM ident WHERE kind = ? AND value = ?")
        select.bind(kind)
        select.bind(value)
        defer { select.reset() }
        return try select.step() ? select.int64(0) : nil
    }

    /// Records `kind:value` → `node` unless the identifier already names a node; returns the node it names.
    @discardableResult
    public func addIdent(_ kind: String, _ value: String, node: Int64) throws -> Int64 {
        let insert = try prepared(&insertIdentStatement, "INSERT OR IGNORE INTO ident(kind, value, node) VALUES (?, ?, ?)")
        insert.bind(kind)
        insert.bind(value)
        insert.bind(node)
        try insert.execute()
        if db.changesCount > 0 { return node }
        return try self.node(ident: kind, value) ?? node
    }


    /// Records that this file stated `fields` of `node` at `line`.
    public func addProvenance(node: Int64, line: Int?, fields: [String: JSONValue]) throws {
        var json: [UInt8] = []
        JSONValue.object(fields).encode(into: &json)
        try addProvenance(node: node, line: line, json: json)
    }

    /// Records provenance from the fields' canonical JSON text.
    func addProvenance(node: Int64, line: Int?, json: [UInt8]) throws {
        let insert = try prepared(&insertProvenanceStatement,
                                  "INSERT OR REPLACE INTO provenance(node, source, line, fields) VALUES (?, ?, ?, ?)")
        try json.withUnsafeBufferPointer { json in
            insert.bind(node)
            insert.bind(sourceNode)
            insert.bind(line)
            insert.bind(borrowing: json)
            try insert.execute()
        }
    }

    // MARK: Interning

    /// The node with `label` whose property `key` equals `value`, created with `props` when missing.
    /// Used for Author (name), Category (id), Venue (name). The file that creates the node gets its
    /// provenance row; later mentions are recorded on the edges that point at it (`source`, `line`).
    public func intern(label: String, key: String, value: String, props: @autoclosure () -> [String: JSONValue],
                       line: Int? = nil) throws -> Int64 {
        try intern(label: label, key: key, value: value, json: {
            var p = props()
            p[key] = .string(value)
            var json: [UInt8] = []
            JSONValue.object(p).encode(into: &json)
            return json
        }, line: line)
    }

    /// `intern` with the new node's canonical property text (`key` = `value` included) made by `json`.
    func intern(label: String, key: String, value: String, json: () -> [UInt8], line: Int? = nil) throws -> Int64 {
        let table = interned.table(label)
        if let id = try internedNode(table, label: label, key: key, value: value) { return id }
        let id = try createNodes(1, label: { _ in label }, json: { _ in json() }, internedAt: 0, line: line)
        remember(id, as: value, in: table)
        return id
    }

    /// The node `intern` answers for `value` without creating one: nil when the graph has none.
    func internedNode(_ table: InternCache.Table, label: String, key: String, value: String) throws -> Int64? {
        if let id = table.ids[value] { return id }
        precondition(key.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 == 0x5F },
                     "property key must be a plain name")
        if runCache, !table.complete {
            try preload(table, label: label, key: key)
            if let id = table.ids[value] { return id }
        }
        if !table.complete {
            let sql = "SELECT n.id FROM node n JOIN node_label l ON l.node = n.id AND l.label = ? "
                + "WHERE json_extract(n.props, '$.\(key)') = ? ORDER BY n.id LIMIT 1"
            if let found = try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: [label, value]) {
                remember(found, as: value, in: table)
                return found
            }
        }
        return nil
    }

    /// Creates `count` nodes in order, the k-th with the label `label(k)` and the property text
    /// `json(k)`; with `internedAt`, the nodes from that position on are interned ones and get their
    /// provenance row (`intern`'s empty one, at `line`). The nodes are inserted one by one (an
    /// INSERT of several nodes makes SQLite keep a statement journal, whatever its conflict clause),
    /// their labels and provenance rows a few to a statement. Returns the first node's id: the
    /// nodes' ids follow one another, as one `createNode` after another gives them.
    func createNodes(_ count: Int, label: (Int) -> String, json: (Int) -> [UInt8],
                     internedAt: Int? = nil, line: Int? = nil) throws -> Int64 {
        precondition(count > 0)
        var first: Int64 = 0
        for k in 0..<count {
            let id = try insertNode(json(k))
            if k == 0 { first = id }
            precondition(id == first + Int64(k), "new nodes get consecutive ids")
        }
        try insertRows(0..<count, perStatement: Self.nodesPerInsert, &labelInsertStatements, sql: Self.labelInsertSQL) { insert, k in
            insert.bind(first + Int64(k))
            insert.bind(label(k))
        }
        if let internedAt, internedAt < count {
            try insertRows(internedAt..<count, perStatement: Self.nodesPerInsert, &internProvenanceStatements,
                           sql: Self.internProvenanceSQL) { insert, k in
                insert.bind(first + Int64(k))
                insert.bind(sourceNode)
                insert.bind(line)
            }
        }
        return first
    }

    /// Rows per multi-row INSERT of labels and provenance rows in `createNodes` (`OR IGNORE`: no
    /// statement journal).
    static let nodesPerInsert = 16

    static func labelInsertSQL(_ n: Int) -> String {
        "INSERT OR IGNORE INTO node_label(node, label) VALUES " + Array(repeating: "(?, ?)", count: n).joined(separator: ", ")
    }

    static func internProvenanceSQL(_ n: Int) -> String {
        "INSERT OR IGNORE INTO provenance(node, source, line, fields) VALUES "
            + Array(repeating: "(?, ?, ?, '{}')", count: n).joined(separator: ", ")
    }

    func remember(_ node: Int64, as value: String, in table: InternCache.Table) {
        table.ids[value] = node
        if runCache { internedHere.append((table, value)) }
    }

    /// Takes what this session interned out of the run's cache (its transaction rolled back).
    func forgetInterned() {
        for entry in internedHere { entry.table.ids.removeValue(forKey: entry.value) }
        internedHere.removeAll()
    }

    /// Loads every node of `label` into the run's cache once, so that later misses need no lookup.
    private func preload(_ table: InternCache.Table, label: String, key: String) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT n.id, json_extract(n.props, '$.\(key)') FROM node_label l JOIN node n ON n.id = l.node
            WHERE l.label = ? ORDER BY n.id DESC
            """, arguments: [label])
        while let row = try rows.next() {
            guard let name = row[1] as String? else { continue }
            // Descending ids: the oldest node of a name wins, as the lookup's ORDER BY does.
            table.ids[name] = row[0]
        }
        table.complete = true
    }

    // MARK: Full-text index

    /// Puts `node`'s title and abstract into `paper_fts` (rowid = node id). `replacing` gives the
    /// values indexed before, which the contentless index needs to remove them.
    ///
    /// New rows are gathered and inserted together (at the latest when the session ends): FTS5
    /// writes its pending terms out as a new segment whenever a statement opens a savepoint, and
    /// a segment per paper would make the index merge all the time. The index ends up the same.
    public func indexText(node: Int64, title: String?, abstract: String?,
                          replacing old: (title: String?, abstract: String?)? = nil) throws {
        if let waiting = pendingTextIndex[node] {
            // Not indexed yet: the waiting row takes the new values.
            pendingText[waiting] = (node, title ?? "", abstract ?? "")
            return
        }
        guard let old else {
            pendingTextIndex[node] = pendingText.count
            pendingText.append((node, title ?? "", abstract ?? ""))
            pendingTextBytes += (title?.utf8.count ?? 0) + (abstract?.utf8.count ?? 0)
            if pendingText.count >= 4_000 || pendingTextBytes >= 1 << 23 { try flushText() }
            return
        }
        // A paper made as a stub (a citation target) has no row to remove; a 'delete' of a row that
        // was never indexed would throw the index's totals off (or be reported as corruption).
        let indexed = try prepared(&textIndexedStatement, "SELECT 1 FROM paper_fts_docsize WHERE id = ?")
        indexed.bind(node)
        let hasRow = try indexed.step()
        indexed.reset()
        if hasRow {
            let delete = try prepared(&deleteTextStatement, "INSERT INTO paper_fts(paper_fts, rowid, title, abstract) VALUES ('delete', ?, ?, ?)")
            delete.bind(node)
            delete.bind(old.title ?? "")
            delete.bind(old.abstract ?? "")
            try delete.execute()
        }
        let insert = try prepared(&insertTextStatement, "INSERT INTO paper_fts(rowid, title, abstract) VALUES (?, ?, ?)")
        insert.bind(node)
        insert.bind(title ?? "")
        insert.bind(abstract ?? "")
        try insert.execute()
    }

    /// Inserts the gathered full-text rows.
    func flushText() throws {
        guard !pendingText.isEmpty else { return }
        let insert = try prepared(&insertTextStatement, "INSERT INTO paper_fts(rowid, title, abstract) VALUES (?, ?, ?)")
        for row in pendingText {
            var title = row.title, abstract = row.abstract
            try title.withUTF8 { title in
                try abstract.withUTF8 { abstract in
                    insert.bind(row.node)
                    insert.bind(borrowing: title)
                    insert.bind(borrowing: abstract)
                    try insert.execute()
                }
            }
        }
        pendingText.removeAll(keepingCapacity: true)
        pendingTextIndex.removeAll(keepingCapacity: true)
        pendingTextBytes = 0
    }
}
