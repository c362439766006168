// The storage floor: SQLite's own share of an ingest's writing thread. The sqlite3 shell (a peer of
// ../shared/bench) copies the finished rows of an ingested graph into a fresh file that GraphStore
// made, with the store's schema, indexes, page size, journal and bulk-load settings, in one
// transaction and in the order an ingest writes them. The shell times each statement: the floor is
// the time of the copy less the time of reading the same rows alone, so it is SQLite's writing (B-tree
// inserts, index upkeep, full-text index, the deferred index build, the commit) and nothing else. The
// log is copied into the database after the timed statements, as a bulk load's checkpoint thread
// does beside the writer. No parsing and no Swift: the rate no writer of this layout can pass on the
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
}

/// The shell's script: reading the rows alone (timed), then the settings of a bulk load
/// (`GraphStore.deferIndexes`, `writeSession`, `restoreIndexes`) and each table in the order an ingest
/// fills it (nodes by id; labels, provenance and identifiers by node; edges by id), the papers'
/// full-text entries, and the index of edges by target built at the end, in one timed transaction.
/// `readStatements` statements come before `BEGIN`.
func floorScript(source: String) -> String {
    """
    PRAGMA synchronous = NORMAL;
    PRAGMA wal_autocheckpoint = 0;
    PRAGMA cache_size = -32768;
    ATTACH '\(source)' AS src;
    .timer on
    SELECT count(*), sum(length(props)) FROM src.node;
    SELECT count(*), sum(length(label)) FROM src.node_label;
    SELECT count(*), sum(length(fields)) FROM src.provenance;
    SELECT count(*), sum(length(value)) FROM src.ident;
    SELECT count(*), sum(length(props)) FROM src.edge;
    SELECT sum(length(json_extract(n.props, '$.title')) + length(json_extract(n.props, '$.abstract')))
        FROM src.node n JOIN src.node_label l ON l.node = n.id AND l.label = 'Paper';
    BEGIN;
    DROP INDEX edge_in;
    INSERT INTO paper_fts(paper_fts, rank) VALUES ('automerge', 0);
    INSERT INTO node(id, props) SELECT id, props FROM src.node ORDER BY id;
    INSERT INTO node_label(node, label) SELECT node, label FROM src.node_label ORDER BY node, label;
    INSERT INTO provenance(node, source, line, fields)
        SELECT node, source, line, fields FROM src.provenance ORDER BY node, source;
    INSERT INTO ident(kind, value, node) SELECT kind, value, node FROM src.ident ORDER BY node, kind, value;
    INSERT INTO edge(id, type, src, dst, props) SELECT id, type, src, dst, props FROM src.edge ORDER BY id;
    INSERT INTO paper_fts(rowid, title, abstract)
        SELECT n.id, json_extract(n.props, '$.title'), json_extract(n.props, '$.abstract')
        FROM src.node n JOIN src.node_label l ON l.node = n.id AND l.label = 'Paper' ORDER BY n.id;
    PRAGMA cache_size = -16384;
    PRAGMA threads = 1;
    CREATE INDEX edge_in ON edge(dst, type, src);
    INSERT INTO paper_fts(paper_fts, rank) VALUES ('automerge', 4);
    COMMIT;
    .timer off
    PRAGMA wal_checkpoint(TRUNCATE);

    """
}

let readStatements = 6

/// Copies the graph at `source` into a fresh store with the sqlite3 shell; returns SQLite's writing
/// time: the copy's seconds and CPU seconds less those of reading the rows alone.
func storageFloor(source: String) throws -> (seconds: Double, cpu: Double) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("graph.sqlite").path
    _ = try GraphStore(path: target)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = ["-bail", target]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(floorScript(source: source).utf8))
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
