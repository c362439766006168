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

/// A new Paper's rows, made ready off the writing thread: everything `upsert` would compute from the
/// record alone (property and provenance JSON, fingerprint, edge properties), so that creating the
/// paper is only SQLite work. Merging into an existing paper still goes through `upsert`.
public struct PreparedPaper: Sendable {
    public var record: WorkRecord
    /// `Fingerprint.make(record)`.
    public var fingerprint: String?
    /// The property object a new Paper gets, as `upsert` writes it.
    var nodeJSON: [UInt8]
    /// The provenance fields, as `upsert` records them.
    var provenanceJSON: [UInt8]
    /// AUTHORED_BY properties, one per author in order, then PUBLISHED_IN's when there is a venue.
    var edgeJSON: [[UInt8]]
    /// The identifiers `upsert` records for it: (kind, value), in its order.
    public let idents: [(kind: String, value: String)]

    /// Prepares `record` for a writer whose source path is `sourcePath` (the edges carry it).
    public init(_ record: WorkRecord, sourcePath: String) {
        self.record = record
        fingerprint = Fingerprint.make(record)
        let stated = GraphWriter.statedPairs(record)
        var props = stated
        if let v = record.arxiv?.version {
            props.append(("version", .int(v)))
            props.append(("versions", .array([.int(v)])))
        }
        if let key = record.bibKey {
            props.append(("key", .string(key)))
            props.append(("bibkeys", .array([.string(key)])))
        }
        var idents: [(kind: String, value: String)] = []
        if let arxiv = record.arxiv { idents.append(("arxiv", arxiv.base)) }
        if let doi = record.doi { idents.append(("doi", doi)) }
        if let key = record.bibKey { idents.append(("bibkey", key)) }
        if let fingerprint { idents.append(("fingerprint", fingerprint)) }
        self.idents = idents
        nodeJSON = JSONValue.encodeObject(props)
        provenanceJSON = JSONValue.encodeObject(GraphWriter.provenancePairs(record, stated))
        // The evidence every edge of this record ends with (see `GraphWriter.appendEvidence`).
        var evidence: [UInt8] = []
        evidence.append(contentsOf: "\"line\":".utf8)
        evidence.append(contentsOf: String(record.line).utf8)
        evidence.append(contentsOf: ",\"source\":".utf8)
        JSONValue.appendQuoted(sourcePath, to: &evidence)
        evidence.append(contentsOf: ",\"via\":".utf8)
        JSONValue.appendQuoted(record.via, to: &evidence)
        evidence.append(UInt8(ascii: "}"))
        edgeJSON = []
        edgeJSON.reserveCapacity(record.authors.count + 1)
        for (i, person) in record.authors.enumerated() {
            var bytes: [UInt8] = [UInt8(ascii: "{")]
            bytes.reserveCapacity(32 + evidence.count)
            if !person.affiliations.isEmpty {
                bytes.append(contentsOf: "\"affiliations\":".utf8)
                JSONValue.array(person.affiliations.map(JSONValue.string)).encode(into: &bytes)
                bytes.append(UInt8(ascii: ","))
            }
            bytes.append(contentsOf: "\"position\":".utf8)
            bytes.append(contentsOf: String(i + 1).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: evidence)
            edgeJSON.append(bytes)
        }
        if let venue = record.venue, !venue.isEmpty {
            edgeJSON.append([UInt8(ascii: "{")] + evidence)
        }
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

    /// Creates the Paper of a prepared record, exactly as `upsert(record, into: nil)` would: the node,
    /// its identifiers (`newIdents`: those not yet naming a node; the others are left as they are),
    /// author and venue edges, full-text row and provenance.
    public func createPaper(_ paper: PreparedPaper, newIdents: [(kind: String, value: String)]) throws -> UpsertResult {
        let r = paper.record
        let id = try createNode(label: "Paper", json: paper.nodeJSON)
        if !newIdents.isEmpty {
            let insert = try raw("INSERT OR IGNORE INTO ident(kind, value, node) VALUES (?, ?, ?)")
            for ident in newIdents {
                insert.bind(ident.kind)
                insert.bind(ident.value)
                insert.bind(id)
                try insert.execute()
            }
        }
        var edges: [EdgeRow] = []
        edges.reserveCapacity(paper.edgeJSON.count)
        for (i, person) in r.authors.enumerated() {
            let author = try intern(label: "Author", key: "name", value: person.display, props: {
                var p: [String: JSONValue] = [:]
                if !person.family.isEmpty { p["family"] = .string(person.family) }
                if !person.given.isEmpty { p["given"] = .string(person.given) }
                return p
            }(), line: r.line)
            edges.append(EdgeRow(type: "AUTHORED_BY", src: id, dst: author, props: paper.edgeJSON[i]))
        }
        if let venue = r.venue, !venue.isEmpty {
            let node = try intern(label: "Venue", key: "name", value: venue, props: [:], line: r.line)
            edges.append(EdgeRow(type: "PUBLISHED_IN", src: id, dst: node, props: paper.edgeJSON[r.authors.count]))
        }
        try insertEdges(edges)
        let title = r.title.flatMap { $0.isEmpty ? nil : $0 }
        let abstract = r.abstract.flatMap { $0.isEmpty ? nil : $0 }
        try indexText(node: id, title: title, abstract: abstract)
        try addProvenance(node: id, line: r.line, json: paper.provenanceJSON)
        return UpsertResult(node: id, outcome: .created)
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
