// Stage 5: execution. The public face of LitQuery: compile (lex → parse → bind → generate) and run
// a query through the store, then read nodes and relationships in the result back from the graph.
import Foundation
import GRDB
import LitModel
import LitStore

/// One row of a running query, its columns read in place from SQLite's buffers: valid only
/// inside the call it is handed to.
public struct QueryRow {
    let statement: OpaquePointer
    /// How many columns the row has.
    public let count: Int
    let hydrator: QueryEngine.Hydrator

    /// Column `i` as a value, nodes and relationships with their labels and properties.
    public func value(_ i: Int) throws -> CypherValue {
        var entities = false
        let v = NativeFunctions.column(statement, Int32(i), entities: &entities)
        return entities ? try hydrator.fill(v) : v
    }

    /// Every column.
    public func values() throws -> [CypherValue] {
        var out: [CypherValue] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(try value(i)) }
        return out
    }

    /// Column `i` when it is an integer.
    public func int(_ i: Int) -> Int64? {
        if let v = NativeFunctions.integer(statement, Int32(i)) { return v }
        var entities = false
        if case .int(let v) = NativeFunctions.column(statement, Int32(i), entities: &entities) { return v }
        return nil
    }

    /// Calls `body` with the UTF-8 bytes of each string of the list in column `i`, in order (other
    /// items are passed over); nothing when the column holds no list.
    public func forEachString(inList i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try NativeFunctions.forEachString(inList: statement, Int32(i), body)
    }
}

/// The rows of a query.
public struct QueryResult: Sendable {
    public var columns: [String]
    public var rows: [[CypherValue]]

    public init(columns: [String], rows: [[CypherValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

public enum QueryEngine {
    /// Registers the query language's SQL functions; pass as GraphStore's `prepare` hook.
    @Sendable public static func prepare(_ db: Database) throws {
        CypherFunctions.register(db)
        // Sorting and grouping (GROUP BY, DISTINCT, ORDER BY) in memory instead of temporary files,
        // and a page cache that holds the indexes a join walks.
        try db.execute(sql: "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536")
    }

    /// Opens a store ready for queries; `pageCache`: its page cache in KiB, instead of `prepare`'s.
    public static func open(path: String, readonly: Bool = false, pageCache: Int? = nil) throws -> GraphStore {
        let store = try GraphStore(path: path, readonly: readonly, prepare: prepare)
        if let pageCache { try setPageCache(pageCache, store) }
        return store
    }

    /// Runs `body` with the page cache of `store`'s connection at `kibibytes`, then sets it back:
    /// for a job that reads each page about once, where a large cache only adds to the memory.
    public static func withPageCache<T>(_ kibibytes: Int, on store: GraphStore, _ body: () throws -> T) throws -> T {
        let saved = try store.inDatabase { try Int.fetchOne($0, sql: "PRAGMA cache_size") }
        try setPageCache(kibibytes, store)
        defer { if let saved { try? store.inDatabase { try $0.execute(sql: "PRAGMA cache_size = \(saved)") } } }
        return try body()
    }

    private static func setPageCache(_ kibibytes: Int, _ store: GraphStore) throws {
        try store.inDatabase { try $0.execute(sql: "PRAGMA cache_size = -\(max(kibibytes, 0))") }
    }

    /// Parses, binds and generates SQL. Throws a compile-time `QueryError`.
    public static func compile(_ text: String, parameters: [String: CypherValue] = [:]) throws -> CompiledQuery {
        let (parsed, errors) = Parser.parse(text)
        if let first = errors.first { throw first }
        guard let query = parsed else { throw QueryError.syntax("UnexpectedSyntax", "empty query", at: nil) }
        try Binder.bind(query)
        return try SQLGenerator(parameters: parameters).compile(query)
    }

    /// All syntax errors of a query (the parser recovers and goes on), or the first semantic one.
    public static func check(_ text: String) -> [QueryError] {
        let (parsed, errors) = Parser.parse(text)
        if !errors.isEmpty { return errors }
        guard let query = parsed else { return [] }
        do { try Binder.bind(query) } catch let e as QueryError { return [e] } catch { return [] }
        return []
    }

    /// Compiles and runs a query.
    public static func run(_ text: String, parameters: [String: CypherValue] = [:], on store: GraphStore) throws -> QueryResult {
        let compiled = try compile(text, parameters: parameters)
        return try execute(compiled, on: store)
    }

    /// Compiles and runs a query, handing each result row to `body` as it is produced (nothing is
    /// gathered); returns the column names.
    @discardableResult
    public static func run(_ text: String, parameters: [String: CypherValue] = [:], on store: GraphStore,
                           forEachRow body: (QueryRow) throws -> Void) throws -> [String] {
        let compiled = try compile(text, parameters: parameters)
        try execute(compiled, on: store, forEachRow: body)
        return compiled.columns
    }

    /// Runs a compiled query in one transaction (writes of CREATE included).
    public static func execute(_ compiled: CompiledQuery, on store: GraphStore) throws -> QueryResult {
        var rows: [[CypherValue]] = []
        try execute(compiled, on: store) { row in rows.append(try row.values()) }
        return QueryResult(columns: compiled.columns, rows: rows)
    }

    /// Runs a compiled query in one transaction (writes of CREATE included), handing each row of
    /// the result to `body` while the query runs. A query that only reads takes no write lock
    /// (a deferred transaction): it runs beside other readers and writers of the file, such as a
    /// second connection's query or an ingest.
    public static func execute(_ compiled: CompiledQuery, on store: GraphStore, forEachRow body: (QueryRow) throws -> Void) throws {
        let writes = compiled.stages.contains { if case .create = $0 { return true }; return false }
        do {
            try store.inDatabase { db in
                try db.inTransaction(writes ? nil : .deferred) {
                    try executeStages(compiled, db, body)
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw classify(error)
        }
    }

    private static func executeStages(_ compiled: CompiledQuery, _ db: Database, _ body: (QueryRow) throws -> Void) throws {
        var tempTables: [String] = []
        defer {
            for t in tempTables { try? db.execute(sql: "DROP TABLE IF EXISTS temp.\(t)") }
        }
        // Property values memoised by an earlier query may be stale now.
        try db.execute(sql: "SELECT cy_memo_reset()")
        let hydrator = Hydrator(db)
        for stage in compiled.stages {
            switch stage {
            case .select(let sql):
                let statement = try db.makeStatement(sql: sql)
                let cursor = try Row.fetchCursor(statement, arguments: arguments(for: sql, compiled.arguments))
                // The row stands on the statement: its columns are decoded from SQLite's buffers.
                let row = QueryRow(statement: statement.sqliteStatement, count: compiled.columns.count, hydrator: hydrator)
                while try cursor.next() != nil { try body(row) }
            case .create(let create):
                if let t = create.outputTable { tempTables.append(t) }
                try runCreate(create, compiled.arguments, db)
            }
        }
    }

    /// SQLite's plan for the last SELECT of a compiled query (`EXPLAIN QUERY PLAN` details).
    public static func queryPlan(_ compiled: CompiledQuery, on store: GraphStore) throws -> [String] {
        guard case .select(let sql)? = compiled.stages.last else { return [] }
        return try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments(for: sql, compiled.arguments))
                .map { $0["detail"] as String }
        }
    }

    static func arguments(for sql: String, _ all: [String: DatabaseValue]) -> StatementArguments {
        var used: [String: (any DatabaseValueConvertible)?] = [:]
        var i = sql.startIndex
        while let r = sql.range(of: ":p", range: i..<sql.endIndex) {
            var end = r.upperBound
            while end < sql.endIndex, sql[end].isNumber { end = sql.index(after: end) }
            let name = String(sql[sql.index(after: r.lowerBound)..<end])
            if let v = all[name] { used[name] = v }
            i = end
        }
        return StatementArguments(used)
    }

    static func runCreate(_ stage: CreateStage, _ args: [String: DatabaseValue], _ db: Database) throws {
        let input = try Row.fetchAll(db, sql: stage.sql, arguments: arguments(for: stage.sql, args))
        if let table = stage.outputTable {
            let cols = stage.outputVariables.isEmpty ? "_" : stage.outputVariables.map(SQLGenerator.column).joined(separator: ", ")
            try db.execute(sql: "CREATE TEMP TABLE \(table) (\(cols))")
        }
        let insertNode = try db.cachedStatement(sql: "INSERT INTO node (props) VALUES (?)")
        let insertLabel = try db.cachedStatement(sql: "INSERT OR IGNORE INTO node_label (node, label) VALUES (?, ?)")
        let insertEdge = try db.cachedStatement(sql: "INSERT INTO edge (type, src, dst, props) VALUES (?, ?, ?, ?)")
        func propsJSON(_ row: Row, _ column: Int?) throws -> String {
            guard let column else { return "{}" }
            switch CypherValue(row[column] as DatabaseValue) {
            case .null: return "{}"
            case .map(let m): return CypherValue.map(m.filter { !$0.value.isNull }).jsonText
            default: throw QueryError("TypeError", "InvalidArgumentType", "properties must be a map", phase: .runtime)
            }
        }
        for row in input {
            var bound: [String: CypherValue] = [:]
            for (i, v) in stage.inputVariables.enumerated() { bound[v] = CypherValue(row[i] as DatabaseValue) }
            var ids: [Int64] = []
            for node in stage.nodes {
                if let v = node.variable, let value = bound[v] {
                    guard case .node(let e) = value else {
                        throw QueryError("SemanticError", "VariableTypeConflict", "'\(v)' is not a node", phase: .runtime)
                    }
                    ids.append(e.id)
                    continue
                }
                try insertNode.execute(arguments: [try propsJSON(row, node.propertiesColumn)])
                let id = db.lastInsertedRowID
                for label in node.labels { try insertLabel.execute(arguments: [id, label]) }
                ids.append(id)
                if let v = node.variable { bound[v] = .node(CypherEntity(id: id)) }
            }
            for rel in stage.rels {
                try insertEdge.execute(arguments: [rel.type, ids[rel.from], ids[rel.to], try propsJSON(row, rel.propertiesColumn)])
                if let v = rel.variable { bound[v] = .relationship(CypherEntity(id: db.lastInsertedRowID)) }
            }
            if let table = stage.outputTable {
                let values = stage.outputVariables.map { (bound[$0] ?? .null).databaseValue }
                let marks = Array(repeating: "?", count: max(1, values.count)).joined(separator: ", ")
                try db.execute(sql: "INSERT INTO \(table) VALUES (\(marks))",
                               arguments: StatementArguments(values.isEmpty ? [DatabaseValue.null] : values))
            }
        }
    }

    /// Fills in labels, types and properties of the nodes and relationships of result values,
    /// each entity read once per query.
    final class Hydrator {
        let db: Database
        var nodeCache: [Int64: CypherEntity] = [:]
        var relCache: [Int64: CypherEntity] = [:]

        init(_ db: Database) { self.db = db }

        func fill(_ v: CypherValue) throws -> CypherValue {
            switch v {
            case .node(let e):
                if let cached = nodeCache[e.id] { return .node(cached) }
                let props = try String.fetchOne(db, sql: "SELECT props FROM node WHERE id = ?", arguments: [e.id]) ?? "{}"
                let labels = try String.fetchAll(db, sql: "SELECT label FROM node_label WHERE node = ? ORDER BY label", arguments: [e.id])
                var entity = CypherEntity(id: e.id, labels: labels)
                if case .map(let m) = CypherValue.parseJSON(props) { entity.properties = m }
                nodeCache[e.id] = entity
                return .node(entity)
            case .relationship(let e):
                if let cached = relCache[e.id] { return .relationship(cached) }
                var entity = CypherEntity(id: e.id)
                if let row = try Row.fetchOne(db, sql: "SELECT type, props FROM edge WHERE id = ?", arguments: [e.id]) {
                    entity.labels = [row[0]]
                    if case .map(let m) = CypherValue.parseJSON(row[1]) { entity.properties = m }
                }
                relCache[e.id] = entity
                return .relationship(entity)
            case .list(let items):
                return .list(try items.map(fill))
            case .map(let m):
                return .map(try m.mapValues(fill))
            default:
                return v
            }
        }
    }

    /// A database error raised while running generated SQL, as a classified query error.
    static func classify(_ error: DatabaseError) -> QueryError {
        let message = error.message ?? "\(error)"
        if let failure = RuntimeFailure.parse(message) {
            return QueryError(failure.type, failure.detail, failure.message, phase: .runtime)
        }
        return QueryError("Error", "*", message, phase: .runtime)
    }
}
