// The storage floor: SQLite's own share of an ingest's writing thread, measured on the finished rows
// of an ingested graph written into a fresh file that GraphStore made (the store's schema, indexes,
// page size, journal and bulk-load settings), with the final checkpoint left out (a bulk load's
// checkpoint thread does it beside the writer). Two ways:
//
// - set-based (`storageFloor`): the sqlite3 shell (a peer of ../shared/bench) copies each table with
//   one INSERT … SELECT, in one transaction, and times each statement; the floor is the copy less
//   reading the same rows. SQLite's writing (B-tree inserts, index upkeep, full-text index, the
//   deferred index build, the commit) and nothing else.
// - row by row (`writerFloor`, WriterFloor.swift): the rows, read into memory first, go through
//   one prepared statement per table, bound, stepped and reset through SQLite's C API, table after
//   table or paper after paper: what a writer that parses nothing and looks nothing up, and so does
//   less than any ingest can, pays to hand SQLite its rows.
//
// Each runs on the store's layout and on a leaner one (`FloorLayout.lean`), a lower bound for any
// redesign of the store. No parsing and no Swift work on the rows: rates no writer can pass on this
// machine, measured in the same run as the ingest.
import Foundation
import LitIngest
import LitStore

/// The graphs the floor copies, each ingested once per process (not measured) and removed at exit.
final class FloorSources: @unchecked Sendable {
    static let shared = FloorSources()
    private var sources: [String: (path: String, entries: Int)] = [:]
    private let lock = NSLock()

    /// The database of `inputs` ingested into a fresh store, made on first use, and the entries the
    /// ingest read (what the ingest benchmarks count: Atom entries, BibTeX entries whatever
    /// resolution made of them).
    func database(of inputs: [String], name: String) throws -> (path: String, entries: Int) {
        lock.lock()
        defer { lock.unlock() }
        if let source = sources[name] { return source }
        let path = NSTemporaryDirectory() + "litgraph-bench-floor-\(name)-\(getpid()).sqlite"
        Self.remove(path)
        atexit { FloorSources.shared.removeAll() }
        let ingestor = Ingestor(store: try GraphStore(path: path))
        let summary = ingestor.ingest(paths: inputs)
        guard summary.errors == 0 else { throw FloorError.ingestFailed(summary.errors) }
        let entries = summary.papersNew + summary.papersUpdated + summary.papersUnchanged + summary.entriesSkipped
        sources[name] = (path, entries)
        return (path, entries)
    }

    private func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for source in sources.values { Self.remove(source.path) }
    }

    private static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

enum FloorError: Error {
    case ingestFailed(Int)
    case shellFailed(Int32)
    case noTimes
    case sqlite(String)
}

/// The tables a floor writes.
enum FloorLayout {
    /// The store's own (`Schema`).
    case store
    /// The leanest layout that still keeps each fact the store keeps: edges clustered by source node
    /// (a WITHOUT ROWID table keyed (src, type, dst, id), its own index of outgoing edges), no index of
    /// edges by type, and an edge's evidence as two integers (the Source node and the line) beside its
    /// own properties instead of three members of its JSON. The query compiler cannot read it: it
    /// bounds what a redesign of the store could gain.
    case lean

    /// Statements that give a fresh store this layout, before anything is timed.
    var schemaChanges: String {
        switch self {
        case .store: ""
        case .lean: """
            DROP INDEX edge_in; DROP INDEX edge_out; DROP INDEX edge_by_type; DROP TABLE edge;
            CREATE TABLE edge (id INTEGER NOT NULL, type TEXT NOT NULL, src INTEGER NOT NULL, dst INTEGER NOT NULL,
                props TEXT NOT NULL DEFAULT '{}', source INTEGER, line INTEGER,
                PRIMARY KEY (src, type, dst, id)) WITHOUT ROWID;
            CREATE INDEX edge_in ON edge(dst, type, src);
            """
        }
    }

    /// The columns of `edge` a floor fills.
    var edgeColumns: String {
        switch self {
        case .store: "id, type, src, dst, props"
        case .lean: "id, type, src, dst, props, source, line"
        }
    }

    /// The rows for `edgeColumns`, read from an ingested graph attached as `src`.
    var edgeRows: String {
        switch self {
        case .store: "SELECT id, type, src, dst, props FROM src.edge"
        case .lean: """
            SELECT e.id, e.type, e.src, e.dst, json_remove(e.props, '$.source', '$.line', '$.via') AS props,
                s.node AS source, json_extract(e.props, '$.line') AS line
            FROM src.edge e LEFT JOIN (SELECT n.id AS node, json_extract(n.props, '$.path') AS path FROM src.node n
                JOIN src.node_label l ON l.node = n.id AND l.label = 'Source') s ON s.path = json_extract(e.props, '$.source')
            """
        }
    }
}

/// The rows a floor writes, read from an ingested graph attached as `src`: each table's columns, the
/// query that reads its rows in the order an ingest writes them (nodes by id; labels, provenance and
/// identifiers by node; edges by source node, then id), each column's kind (`i` integer, `t` text),
/// which column names the node a row belongs to (`key`), and what reading the rows alone adds up
/// (their texts' lengths). The edges' rows sit in a temporary table first (`edge_rows`), so that
/// reading them costs the same in both layouts. The full-text rows come last: their keys are the
/// papers.
func floorTables(_ layout: FloorLayout) -> [(table: String, columns: String, rows: String, kinds: String, key: Int, touch: String)] {
    [
        ("node", "id, props", "SELECT id, props FROM src.node ORDER BY id", "it", 0, "length(props)"),
        ("node_label", "node, label", "SELECT node, label FROM src.node_label ORDER BY node, label", "it", 0, "length(label)"),
        ("provenance", "node, source, line, fields",
         "SELECT node, source, line, fields FROM src.provenance ORDER BY node, source", "iiit", 0, "length(fields)"),
        ("ident", "kind, value, node", "SELECT kind, value, node FROM src.ident ORDER BY node, kind, value", "tti", 2,
         "length(kind) + length(value)"),
        ("edge", layout.edgeColumns, "SELECT \(layout.edgeColumns) FROM temp.edge_rows ORDER BY src, id",
         layout == .store ? "itiit" : "itiitii", 2, "length(type) + length(props)"),
        ("paper_fts", "rowid, title, abstract", """
            SELECT n.id AS id, json_extract(n.props, '$.title') AS title, json_extract(n.props, '$.abstract') AS abstract
            FROM src.node n JOIN src.node_label l ON l.node = n.id AND l.label = 'Paper' ORDER BY n.id
            """, "itt", 0, "length(title) + length(abstract)"),
    ]
}

/// The settings of a bulk load (`GraphStore.deferIndexes`, `writeSession`) before the first row, and
/// what it does after the last (`restoreIndexes`), inside the timed transaction.
let bulkLoadStart = """
    DROP INDEX edge_in;
    INSERT INTO paper_fts(paper_fts, rank) VALUES ('automerge', 0);
    """
let bulkLoadEnd = """
    PRAGMA cache_size = -16384;
    PRAGMA threads = 1;
    CREATE INDEX edge_in ON edge(dst, type, src);
    INSERT INTO paper_fts(paper_fts, rank) VALUES ('automerge', 4);
    """
let connectionSettings = """
    PRAGMA synchronous = NORMAL;
    PRAGMA wal_autocheckpoint = 0;
    PRAGMA cache_size = -32768;
    """

/// The shell's script: each table's rows read alone (timed), then each table copied in one timed
/// transaction. `readStatements` statements come before `BEGIN`.
func floorScript(source: String, layout: FloorLayout) -> String {
    let tables = floorTables(layout)
    return """
        \(connectionSettings)
        ATTACH '\(source)' AS src;
        \(layout.schemaChanges)
        CREATE TEMP TABLE edge_rows AS \(layout.edgeRows);
        .timer on
        \(tables.map { "SELECT count(*), sum(\($0.touch)) FROM (\($0.rows));" }.joined(separator: "\n"))
        BEGIN;
        \(bulkLoadStart)
        \(tables.map { "INSERT INTO \($0.table)(\($0.columns)) \($0.rows);" }.joined(separator: "\n"))
        \(bulkLoadEnd)
        COMMIT;
        .timer off
        PRAGMA wal_checkpoint(TRUNCATE);

        """
}

let readStatements = floorTables(.store).count

/// Copies the graph at `source` into the fresh store at `target` (`withFreshStore`) with the sqlite3
/// shell; returns SQLite's writing time: the copy's seconds and CPU seconds less those of reading the
/// rows alone.
func storageFloor(source: String, target: String, layout: FloorLayout) throws -> (seconds: Double, cpu: Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = ["-bail", target]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(floorScript(source: source, layout: layout).utf8))
    try input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw FloorError.shellFailed(process.terminationStatus) }
    // "Run Time: real R user U sys S", one line per statement.
    let times = text.split(separator: "\n").filter { $0.hasPrefix("Run Time:") }.map { line -> (Double, Double) in
        let words = line.split(separator: " ")
        func value(after name: String) -> Double {
            words.firstIndex(of: Substring(name)).flatMap { Double(words[$0 + 1]) } ?? 0
        }
        return (value(after: "real"), value(after: "user") + value(after: "sys"))
    }
    guard times.count > readStatements else { throw FloorError.noTimes }
    let reading = times.prefix(readStatements), writing = times.dropFirst(readStatements)
    return (writing.map(\.0).reduce(0, +) - reading.map(\.0).reduce(0, +),
            writing.map(\.1).reduce(0, +) - reading.map(\.1).reduce(0, +))
}
