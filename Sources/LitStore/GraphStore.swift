// The store: one SQLite file holding the graph, opened through GRDB in WAL mode so that readers
// (queries, exports) run while an ingest writes. Every value reaches SQLite as a bound argument.
import Foundation
import GRDB
import LitModel
internal import CSQLiteEngine

/// An open litgraph database.
public final class GraphStore: @unchecked Sendable {
    public let path: String
    /// The connection. Other stages run SQL only through `read`/`write`.
    let queue: DatabaseQueue

    deinit {
        // A bulk load that was not ended: its checkpoint thread ends with the store.
        if let checkpoint { queue.inDatabase { db in checkpoint.stop(db) } }
    }

    /// Opens (creating and migrating when needed) the database at `path`.
    /// `prepare` runs on the connection before use: the query stage registers its SQL functions there.
    public init(path: String, readonly: Bool = false,
                prepare: (@Sendable (Database) throws -> Void)? = nil) throws {
        self.path = path
        _ = Self.engineConfigured
        var config = Configuration()
        config.readonly = readonly
        config.journalMode = readonly ? .default : .wal
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = false
        config.prepareDatabase { db in
            // A new file gets 16 KB pages (SQLite's default is 4 KB): fewer, fuller pages for the
            // long JSON rows and the append-mostly indexes a bulk load writes. This runs before WAL
            // is turned on, the last moment the page size can be chosen; an existing file keeps its own.
            if !readonly { try db.execute(sql: "PRAGMA page_size = \(Schema.pageSize)") }
            try prepare?(db)
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            if !readonly {
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
                try Schema.migrator().migrate(queue)
                // A bulk load that was interrupted leaves its deferred indexes to be built here.
                try queue.inDatabase { db in
                    if try Self.missingIndexes(db) { try db.inTransaction { try Schema.endBulkLoad(db); return .commit } }
                }
            }
        } catch let error as DatabaseError {
            throw Diagnostic.error("store.open", "cannot open database '\(path)': \(error.message ?? "\(error)")")
        }
    }

    /// Whether SQLite runs with litgraph's process-wide settings (`CSQLiteEngine`): multi-thread
    /// mode and no memory statistics. False only if something initialised SQLite before they could
    /// be applied; SQLite then keeps its defaults, slower but as correct.
    static let engineConfigured = lit_sqlite_configure() == SQLITE_OK

    /// SQLite's process-wide settings as this store's connection sees them: whether SQLite guards
    /// the connection with a mutex of its own (not in multi-thread mode), and the bytes its memory
    /// statistics have counted (none while they are off).
    func engineState() -> (connectionMutex: Bool, countedBytes: Int64) {
        queue.inDatabase { db in
            (lit_sqlite_connection_has_mutex(db.sqliteConnection) != 0, lit_sqlite_memory_counted())
        }
    }

    /// The names of the database's indexes (those SQLite makes for keys included), sorted.
    public func indexNames() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name") }
    }

    /// Whether any secondary index is missing (a bulk load was interrupted: this version's, or an
    /// earlier one's, which deferred more of them).
    private static func missingIndexes(_ db: Database) throws -> Bool {
        let present = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
        return Schema.secondaryIndexes.contains { !present.contains($0.name) }
    }

    /// Starts a bulk load. Drops the index of edges by target (`Schema.deferrableIndexes`), which
    /// costs more row by row than built once with one sort at the end (`restoreIndexes`). Pauses the full-text
    /// index's background merging (`Schema.beginBulkLoad`), and hands the checkpoints to a thread and
    /// connection of their own (`BackgroundCheckpoint`), which copies the write-ahead log into the
    /// database each time a commit leaves it at `Schema.bulkCheckpointPages` or more while the writer goes on.
    /// Each file still commits on its own. Queries that run meanwhile stay
    /// correct but scan; if the load is interrupted, the next writable open of the store builds
    /// the indexes again.
    public func deferIndexes() throws {
        try deferIndexes(checkpointPages: Schema.bulkCheckpointPages)
    }

    func deferIndexes(checkpointPages: Int) throws {
        try queue.inDatabase { db in
            // The thread starts first: if it cannot, nothing of the bulk load has begun.
            let started = try checkpoint ?? BackgroundCheckpoint(path: path, pages: checkpointPages)
            do {
                try db.inTransaction {
                    try Schema.beginBulkLoad(db)
                    return .commit
                }
            } catch {
                if checkpoint == nil {
                    started.stop(db)
                    try? db.execute(sql: "PRAGMA wal_autocheckpoint = \(Schema.checkpointPages)")
                }
                throw error
            }
            started.watch(db)
            checkpoint = started
        }
    }

    /// Ends a bulk load: builds the indexes `deferIndexes` dropped, in one transaction, with the
    /// full-text index's merging and the writer's own checkpoints back to normal.
    public func restoreIndexes() throws {
        try queue.inDatabase { db in
            if let checkpoint {
                checkpoint.stop(db)
                self.checkpoint = nil
            }
            // The writer's own checkpoints again, once the indexes are built (or failed to be).
            defer { try? db.execute(sql: "PRAGMA wal_autocheckpoint = \(Schema.checkpointPages)") }
            // The sorter that builds an index holds up to the page cache's size in memory: a
            // smaller cache keeps the peak down (each write session sets its own size again).
            // One helper thread sorts while the main one scans (the reading thread is done by now).
            try db.execute(sql: "PRAGMA cache_size = -16384")
            try db.execute(sql: "PRAGMA threads = 1")
            defer { try? db.execute(sql: "PRAGMA threads = 0") }
            try db.inTransaction {
                try Schema.endBulkLoad(db)
                return .commit
            }
        }
    }

    /// The checkpoints of a bulk load in progress (`deferIndexes`).
    private(set) var checkpoint: BackgroundCheckpoint?

    /// The number of nodes, as the largest node id (cheap: no scan).
    public func nodeCountEstimate() throws -> Int {
        try queue.inDatabase { db in try Int.fetchOne(db, sql: "SELECT max(id) FROM node") ?? 0 }
    }

    /// Runs `body` in a read transaction.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }

    /// Runs `body` in one write transaction: all of it is stored, or none.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.write(body)
    }

    /// Runs `body` on the connection with no implicit transaction.
    public func inDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.inDatabase(body)
    }

    /// The database named by `--db`, else `$LITGRAPH_DB`, else `./litgraph.sqlite`.
    public static func defaultPath(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = ProcessInfo.processInfo.environment["LITGRAPH_DB"], !env.isEmpty { return env }
        return "litgraph.sqlite"
    }
}
