// The storage floors of a writer (see StorageFloor.swift): an ingested graph's finished rows, read
// into memory first, written into a fresh store with the same settings, deferred index and full-text
// upkeep as the set-based floor, through SQLite's C API in one of the ways `FloorWrite` names. Only
// the writing is timed.
import Foundation
import GRDBSQLite
import LitStore

/// Papers per commit where a floor commits as an ingest does: a page of the generated corpus, which
/// an ingest stores as one file, in a transaction of its own.
let papersPerCommit = 2000

/// How a writer's floor hands SQLite the rows.
enum FloorWrite {
    /// One prepared statement per table, bound, stepped and reset once per row (texts bound in
    /// place), each table whole, one after the other, in one transaction: the order SQLite writes
    /// fastest.
    case tableByTable
    /// The same statements paper by paper, as an ingest streams them: a paper's node and its new
    /// authors' nodes, their labels, provenance and identifiers, the paper's edges and its full-text
    /// row, then the next paper's; a commit after every `papersPerCommit` papers.
    case paperByPaper
    /// One `INSERT … SELECT` per table from a virtual table over the rows in memory (SQLite asks for
    /// each value, as binding gives it one), in one transaction.
    case virtualTable
    /// The same a file at a time: for every `papersPerCommit` papers, each table's rows of those
    /// papers through its virtual table, then a commit. What a writer that gathers a file's rows in memory and
    /// writes them table by table would pay.
    case fileByFile
}

/// One table's rows in memory: integer columns as arrays, each text column as one buffer of bytes
/// with each row's end offset, and the column that names the paper a row belongs to (`key`).
final class FloorRows {
    let table: String, columns: String, kinds: [UInt8], key: Int
    private(set) var count = 0
    /// The next row to write (`write`, or the virtual table), and the key it stops at.
    fileprivate var next = 0
    fileprivate var limit = Int64.max
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

    /// Whether the virtual table has read every row below `limit`.
    fileprivate var atLimit: Bool { next >= count || integers[key][next] >= limit }

    /// Sets `value` of row `row`, column `column` as the result of a virtual table's column.
    func result(_ context: OpaquePointer, row: Int, column c: Int) {
        if kinds[c] == UInt8(ascii: "i") {
            sqlite3_result_int64(context, integers[c][row])
        } else {
            let start = row == 0 ? 0 : ends[c][row - 1]
            let text = UnsafeRawPointer(buffers[c].baseAddress! + start).assumingMemoryBound(to: CChar.self)
            sqlite3_result_text(context, text, Int32(ends[c][row] - start), unsafeBitCast(0, to: sqlite3_destructor_type.self))
        }
    }

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

/// Writes the graph at `source` into the fresh store at `target` (`withFreshStore`), made `layout`,
/// the way `write` says; returns the seconds and CPU seconds of the writing.
func writerFloor(source: String, target: String, layout: FloorLayout, write: FloorWrite) throws -> (seconds: Double, cpu: Double) {

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
        let virtual = write == .virtualTable || write == .fileByFile
        let values = virtual
            ? "SELECT * FROM temp.floor_\(rows.table)"
            : "VALUES (\(Array(repeating: "?", count: rows.kinds.count).joined(separator: ", ")))"
        if virtual { try createRowsTable(db, name: "floor_\(rows.table)", rows: rows) }
        return try prepare("INSERT INTO \(rows.table)(\(rows.columns)) \(values)")
    }
    defer { for insert in inserts { sqlite3_finalize(insert) } }
    try execute("DETACH src; DROP TABLE temp.edge_rows")

    let start = ContinuousClock.now
    let cpu = processCPU()
    try execute("BEGIN;" + bulkLoadStart)
    switch write {
    case .virtualTable, .fileByFile:
        let papers = tables.last!.keys, step = write == .fileByFile ? papersPerCommit : papers.count
        for first in stride(from: 0, to: papers.count, by: step) {
            let end = first + step < papers.count ? papers[first + step] : Int64.max
            for (rows, insert) in zip(tables, inserts) {
                rows.limit = end
                guard sqlite3_step(insert) == SQLITE_DONE else { throw FloorError.sqlite(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(insert)
            }
            if end != Int64.max { try execute("COMMIT; BEGIN") }
        }
    case .paperByPaper:
        let papers = tables.last!.keys
        for k in papers.indices {
            // This paper's rows: those keyed below the next paper's node.
            let end = k + 1 < papers.count ? papers[k + 1] : Int64.max
            for (rows, insert) in zip(tables, inserts) { try rows.write(insert, db, before: end) }
            if k % papersPerCommit == papersPerCommit - 1 { try execute("COMMIT; BEGIN") }
        }
    case .tableByTable:
        for (rows, insert) in zip(tables, inserts) { try rows.write(insert, db) }
    }
    try execute(bulkLoadEnd + "COMMIT;")
    let seconds = (ContinuousClock.now - start).inSeconds, used = processCPU() - cpu

    // Every row is in (the fresh store had none).
    for rows in tables {
        let count = try prepare("SELECT count(*) FROM \(rows.table == "paper_fts" ? "paper_fts_docsize" : rows.table)")
        defer { sqlite3_finalize(count) }
        guard sqlite3_step(count) == SQLITE_ROW, sqlite3_column_int64(count, 0) == rows.count else {
            throw FloorError.sqlite("\(rows.table): \(sqlite3_column_int64(count, 0)) rows written of \(rows.count)")
        }
    }
    return (seconds, used)
}


// The virtual table over a `FloorRows`: `sqlite3_vtab` and `sqlite3_vtab_cursor` each followed by
// what it reads (SQLite hands back the pointers it was given). A scan reads the rows from the next
// one not yet written up to the key limit, and moves that position on.
private struct RowsTable {
    var base = sqlite3_vtab()
    var rows: Unmanaged<FloorRows>
}

private struct RowsCursor {
    var base = sqlite3_vtab_cursor()
    var rows: Unmanaged<FloorRows>
}

private func rowsConnect(_ db: OpaquePointer?, _ aux: UnsafeMutableRawPointer?, _ argc: Int32,
                         _ argv: UnsafePointer<UnsafePointer<CChar>?>?, _ table: UnsafeMutablePointer<UnsafeMutablePointer<sqlite3_vtab>?>?,
                         _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let rows = Unmanaged<FloorRows>.fromOpaque(aux!)
    let columns = rows.takeUnretainedValue().kinds.indices.map { "c\($0)" }.joined(separator: ", ")
    let status = sqlite3_declare_vtab(db, "CREATE TABLE x(\(columns))")
    guard status == SQLITE_OK else { return status }
    let made = UnsafeMutablePointer<RowsTable>.allocate(capacity: 1)
    made.initialize(to: RowsTable(rows: rows))
    table!.pointee = UnsafeMutableRawPointer(made).assumingMemoryBound(to: sqlite3_vtab.self)
    return SQLITE_OK
}

private func rowsModule() -> sqlite3_module {
    var module = sqlite3_module()
    module.xCreate = rowsConnect
    module.xConnect = rowsConnect
    module.xBestIndex = { _, info in
        info!.pointee.estimatedCost = 1e6
        return SQLITE_OK
    }
    let disconnect: @convention(c) (UnsafeMutablePointer<sqlite3_vtab>?) -> Int32 = { table in
        UnsafeMutableRawPointer(table!).assumingMemoryBound(to: RowsTable.self).deinitialize(count: 1).deallocate()
        return SQLITE_OK
    }
    module.xDisconnect = disconnect
    module.xDestroy = disconnect
    module.xOpen = { table, cursor in
        let rows = UnsafeMutableRawPointer(table!).assumingMemoryBound(to: RowsTable.self).pointee.rows
        let made = UnsafeMutablePointer<RowsCursor>.allocate(capacity: 1)
        made.initialize(to: RowsCursor(rows: rows))
        cursor!.pointee = UnsafeMutableRawPointer(made).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
        return SQLITE_OK
    }
    module.xClose = { cursor in
        UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: RowsCursor.self).deinitialize(count: 1).deallocate()
        return SQLITE_OK
    }
    func rows(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?) -> FloorRows {
        UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: RowsCursor.self).pointee.rows.takeUnretainedValue()
    }
    module.xFilter = { _, _, _, _, _ in SQLITE_OK }
    module.xNext = { cursor in
        rows(cursor).next += 1
        return SQLITE_OK
    }
    module.xEof = { cursor in rows(cursor).atLimit ? 1 : 0 }
    module.xColumn = { cursor, context, column in
        let rows = rows(cursor)
        rows.result(context!, row: rows.next, column: Int(column))
        return SQLITE_OK
    }
    module.xRowid = { cursor, rowid in
        rowid!.pointee = Int64(rows(cursor).next)
        return SQLITE_OK
    }
    return module
}

/// One module for every floor table; SQLite keeps the pointer for the connection's life.
nonisolated(unsafe) private let rowsModulePointer: UnsafeMutablePointer<sqlite3_module> = {
    let module = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
    module.initialize(to: rowsModule())
    return module
}()

/// Makes `temp.NAME`, a virtual table whose columns c0, c1, … read `rows` in order. `rows` must
/// outlive the connection.
private func createRowsTable(_ db: OpaquePointer, name: String, rows: FloorRows) throws {
    let status = sqlite3_create_module_v2(db, name, rowsModulePointer, Unmanaged.passUnretained(rows).toOpaque(), nil)
    guard status == SQLITE_OK, sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.\(name) USING \(name)", nil, nil, nil) == SQLITE_OK else {
        throw FloorError.sqlite(String(cString: sqlite3_errmsg(db)))
    }
}
