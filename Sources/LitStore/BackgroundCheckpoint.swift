// Checkpoints of a bulk load on a thread of their own: the write-ahead log is copied into the
// database file by a second connection while the writing connection goes on with the next file,
// instead of by the writing thread at the commit that fills the log.
import Foundation
import GRDB
internal import GRDBSQLite

/// Copies the write-ahead log into the database on a thread and connection of its own, each time a
/// commit of the connection it watches leaves the log at `pages` pages or more.
///
/// The checkpoints are SQLite's passive ones: they copy what is committed, never wait for the
/// writer or block it, and leave the database as safe as the writer's own would (an interrupted
/// one is taken up again by the next). The writer's log starts over at the beginning only when a
/// write transaction begins with all of it copied, which a writer that commits file after file
/// seldom meets while the thread copies: when the log reaches twice `pages`, the writer's commit
/// copies the little the thread has not (a passive checkpoint of its own), so that its next
/// transaction starts the log over.
///
///     let checkpoint = try BackgroundCheckpoint(path: store.path, pages: 8192)
///     checkpoint.watch(db)   // on the writing connection
///     …                      // commits
///     checkpoint.stop(db)
final class BackgroundCheckpoint: @unchecked Sendable {
    private let connection: DatabaseQueue
    private let pages: Int32
    private let condition = NSCondition()
    private var requested = false, stopping = false, finished = false
    private var completed = 0

    /// Checkpoints run so far.
    var runs: Int { condition.withLock { completed } }

    init(path: String, pages: Int) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        connection = try DatabaseQueue(path: path, configuration: config)
        try connection.inDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        self.pages = Int32(clamping: pages)
        let thread = Thread { [self] in run() }
        thread.name = "litgraph checkpoint"
        thread.start()
    }

    /// Requests a checkpoint after every commit of `db` that leaves the log at `pages` or more, in
    /// place of the connection's own checkpoints (but for the one at twice `pages`). Call on `db`'s queue; `stop` before this object goes.
    func watch(_ db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, _, logPages in
            let checkpoint = Unmanaged<BackgroundCheckpoint>.fromOpaque(context!).takeUnretainedValue()
            if logPages >= 2 * checkpoint.pages {
                // Busy (the thread is copying) is fine: the next commit tries again.
                sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if logPages >= checkpoint.pages {
                checkpoint.request()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Stops watching `db` (which makes no checkpoints of its own until told to again, e.g. by
    /// `PRAGMA wal_autocheckpoint`) and waits for the thread to end. Call on `db`'s queue.
    func stop(_ db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, nil, nil)
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func request() {
        condition.lock()
        requested = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while !requested && !stopping { condition.wait() }
            if stopping { break }
            requested = false
            condition.unlock()
            // A failed checkpoint leaves the log as it was: the next one, or the writer's, copies it.
            _ = try? connection.inDatabase { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
            condition.lock()
            completed += 1
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
