// Generic graph writes: nodes with labels and properties, typed edges, identifiers. Used to build
// graphs directly (tests, fixtures, the query engine's CREATE) without going through a format.
// Statements are prepared once per transaction and reused; every value is a bound argument.
import Foundation
import GRDB
import LitModel

/// Writes into one open transaction; obtain one with `GraphStore.build(_:)`.
public struct GraphBuilder {
    let db: Database

    /// Adds a node and returns its id. A `Paper` with a title or abstract is also indexed for full-text search.
    @discardableResult
    public func addNode(labels: [String], properties: [String: JSONValue] = [:]) throws -> Int64 {
        let insert = try db.cachedStatement(sql: "INSERT INTO node(props) VALUES (?)")
        try insert.execute(arguments: [JSONValue.object(properties).encoded])
        let id = db.lastInsertedRowID
        let label = try db.cachedStatement(sql: "INSERT OR IGNORE INTO node_label(node, label) VALUES (?, ?)")
        for name in labels {
            try label.execute(arguments: [id, name])
        }
        if labels.contains("Paper") {
            let title = properties["title"]?.stringValue ?? ""
            let abstract = properties["abstract"]?.stringValue ?? ""
            if !title.isEmpty || !abstract.isEmpty {
                let fts = try db.cachedStatement(sql: "INSERT INTO paper_fts(rowid, title, abstract) VALUES (?, ?, ?)")
                try fts.execute(arguments: [id, title, abstract])
            }
        }
        return id
    }

    /// Adds a directed edge `from -[type]-> to` and returns its id.
    @discardableResult
    public func addEdge(type: String, from source: Int64, to target: Int64,
                        properties: [String: JSONValue] = [:]) throws -> Int64 {
        let insert = try db.cachedStatement(sql: "INSERT INTO edge(type, src, dst, props) VALUES (?, ?, ?, ?)")
        try insert.execute(arguments: [type, source, target, JSONValue.object(properties).encoded])
        return db.lastInsertedRowID
    }

    /// Records that `value` of `kind` (`arxiv`, `doi`, `bibkey`, `taxonomy`, …) names `node`.
    public func addIdentifier(kind: String, value: String, node: Int64) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO ident(kind, value, node) VALUES (?, ?, ?)")
        try insert.execute(arguments: [kind, value, node])
    }
}

extension GraphStore {
    /// Runs `body` with a builder in one write transaction: all of it is stored, or none.
    public func build<T>(_ body: (GraphBuilder) throws -> T) throws -> T {
        try write { db in try body(GraphBuilder(db: db)) }
    }
}
