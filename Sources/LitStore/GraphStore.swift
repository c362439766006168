// The store: one SQLite file holding the graph, opened through GRDB in WAL mode so that readers
// (queries, exports) run while an ingest writes. Every value reaches SQLite as a bound argument.
import Foundation
import GRDB
import LitModel

/// An open litgraph database.
public final class GraphStore: @unchecked Sendable {
    public let path: String
    /// The connection. Other stages run SQL only through `read`/`write`.
    let queue: DatabaseQueue

    /// Opens (creating and migrating when needed) the database at `path`.
    /// `prepare` runs on the connection before use: the query stage registers its SQL functions there.
    public init(path: String, readonly: Bool = false,
                prepare: (@Sendable (Database) throws -> Void)? = nil) throws {
        self.path = path
        var config = Configuration()
        config.readonly = readonly
        config.journalMode = readonly ? .default : .wal
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = false
        config.prepareDatabase { db in
            try prepare?(db)
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            if !readonly {
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
                try Schema.migrator().migrate(queue)
            }
        } catch let error as DatabaseError {
            throw Diagnostic.error("store.open", "cannot open database '\(path)': \(error.message ?? "\(error)")")
        }
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
