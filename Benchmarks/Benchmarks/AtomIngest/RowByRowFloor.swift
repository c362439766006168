// The row-by-row storage floors (see StorageFloor.swift): an ingested graph's finished rows, read
// into memory first, written into a fresh store through one prepared statement per table (bind,
// step, reset on SQLite's C API, texts bound in place), with the same settings, deferred index and
// full-text upkeep as the set-based floor, in one of two orders (`FloorOrder`). Only the writing is
// timed.
import Foundation
import GRDBSQLite
import LitStore

/// The order a row-by-row floor writes in.
enum FloorOrder {
    /// Each table whole, one after the other, in one transaction: the order SQLite writes fastest.
    case tables
    /// Paper by paper, as an ingest streams them: a paper's node and its new authors' nodes, their
    /// labels, provenance and identifiers, the paper's edges and its full-text row, then the next
    /// paper's; a commit after every 2,000 papers (a page of the generated corpus, which an ingest
    /// commits as one file).
    case papers
}

/// One table's rows in memory: integer columns as arrays, each text column as one buffer of bytes
/// with each row's end offset, and the column that names the paper a row belongs to (`key`).
final class FloorRows {
    let table: String, columns: String, kinds: [UInt8], key: Int
    private(set) var count = 0
    /// The next row `write` writes.
    private var next = 0
    private var integers: [[Int64]]
    private var texts: [[UInt8]]
    private var ends: [[Int]]
    /// The text columns' bytes where `write` binds them from, made by `finish`.
    private var buffers: [UnsafeMutableBufferPointer<UInt8>] = []

    init(table: String, columns: String, kinds: String, key: Int) {
        self.key = key
        self.table = table
        self.columns = columns
        self.kinds = Array(kinds.utf8)
        integers = Array(repeating: [], count: self.kinds.count)
        texts = Array(repeating: [], count: self.kinds.count)
        ends = Array(repeating: [], count: self.kinds.count)
    }

    func read(_ statement: OpaquePointer) {
        for (c, kind) in kinds.enumerated() {
            let column = Int32(c)
            if kind == UInt8(ascii: "i") {
                integers[c].append(sqlite3_column_int64(statement, column))
            } else {
                if let text = sqlite3_column_text(statement, column) {
                    texts[c].append(contentsOf: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column))))
                }
                ends[c].append(texts[c].count)
            }
        }
        count += 1
    }

    /// Moves the texts read into buffers of their own, once the last row is read.
    func finish() {
        buffers = texts.map { bytes in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            _ = buffer.initialize(from: bytes)
            return buffer
        }
        texts = []
    }

    deinit { for buffer in buffers { buffer.deallocate() } }

    /// The keys of every row, in order.
    var keys: [Int64] { integers[key] }

    /// Binds, steps and resets `insert` once per row not yet written whose key is below `end`
    /// (every row left when `end` is nil).
    func write(_ insert: OpaquePointer, _ db: OpaquePointer, before end: Int64? = nil) throws {
        let static_ = unsafeBitCast(0, to: sqlite3_destructor_type.self)
        while next < count, end.map({ integers[key][next] < $0 }) ?? true {
            let row = next
            next += 1
            for (c, kind) in kinds.enumerated() {
                let position = Int32(c + 1)
                if kind == UInt8(ascii: "i") {
                    sqlite3_bind_int64(insert, position, integers[c][row])
                } else {
                    let start = row == 0 ? 0 : ends[c][row - 1]
                    let text = UnsafeRawPointer(buffers[c].baseAddress! + start).assumingMemoryBound(to: CChar.self)
                    sqlite3_bind_text(insert, position, text, Int32(ends[c][row] - start), static_)
                }
            }
            guard sqlite3_step(insert) == SQLITE_DONE else { throw FloorError.sqlite(String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(insert)
        }
    }
}

/// Writes the graph at `source` into a fresh store of `layout` row by row in `order`; returns the
/// seconds and CPU seconds of the writing.
func rowByRowFloor(source: String, layout: FloorLayout, order: FloorOrder) throws -> (seconds: Double, cpu: Double) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("graph.sqlite").path
    _ = try GraphStore(path: target)

    var handle: OpaquePointer?
    guard sqlite3_open_v2(target, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db = handle else {
        throw FloorError.sqlite("cannot open \(target)")
    }
    defer { sqlite3_close_v2(db) }
    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw FloorError.sqlite(String(cString: sqlite3_errmsg(db))) }
    }
    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw FloorError.sqlite(String(cString: sqlite3_errmsg(db)))
        }
        return statement
    }

    // Not timed: the layout, and every row read into memory.
    try execute(connectionSettings + "ATTACH '\(source)' AS src;" + layout.schemaChanges
                + "CREATE TEMP TABLE edge_rows AS \(layout.edgeRows);")
    let tables = try floorTables(layout).map { table in
        let rows = FloorRows(table: table.table, columns: table.columns, kinds: table.kinds, key: table.key)
        let select = try prepare(table.rows)
        defer { sqlite3_finalize(select) }
        while sqlite3_step(select) == SQLITE_ROW { rows.read(select) }
        rows.finish()
        return rows
    }
    let inserts = try tables.map { rows in
        try prepare("INSERT INTO \(rows.table)(\(rows.columns)) VALUES (\(Array(repeating: "?", count: rows.kinds.count).joined(separator: ", ")))")
    }
    defer { for insert in inserts { sqlite3_finalize(insert) } }
    try execute("DETACH src; DROP TABLE temp.edge_rows")

    let start = ContinuousClock.now
    let cpu = processCPU()
    try execute("BEGIN;" + bulkLoadStart)
    if order == .papers, let papers = tables.last?.keys {
        for k in papers.indices {
            // This paper's rows: those keyed below the next paper's node.
            let end = k + 1 < papers.count ? papers[k + 1] : Int64.max
            for (rows, insert) in zip(tables, inserts) { try rows.write(insert, db, before: end) }
            if k % 2000 == 1999 { try execute("COMMIT; BEGIN") }
        }
    }
    for (rows, insert) in zip(tables, inserts) { try rows.write(insert, db) }
    try execute(bulkLoadEnd + "COMMIT;")
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, processCPU() - cpu)
}

