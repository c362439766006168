// The ingest's hot path to SQLite: a statement prepared once per write session through GRDB and then
// bound, stepped and reset through SQLite's C API, with no per-call allocation. Every value is still
// a bound argument; errors carry SQLite's message and the statement's SQL as GRDB's do.
import Foundation
import GRDB
internal import GRDBSQLite

/// A prepared statement driven by position: bind the arguments in order, then `execute` or `step`.
///
///     let insert = try RawStatement(db, sql: "INSERT INTO node(props) VALUES (?)")
///     insert.bind(text: json); try insert.execute()
final class RawStatement {
    /// GRDB's statement owns the SQLite handle and finalizes it.
    private let statement: Statement
    private let handle: OpaquePointer
    private let db: Database
    private var position: Int32 = 1

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        self.db = db
    }

    deinit {
        arena.deallocate()
        for block in retired { block.deallocate() }
    }

    /// Whether text is bound in place (`bind(borrowing:)`): the bindings are cleared after the run.
    private var borrowed = false

    /// Copies of bound texts (`bind(utf8:)`), bound in place: SQLite would otherwise allocate a
    /// buffer of its own for each text at every bind and free it at the next. The arena is reused
    /// from run to run; a run whose texts do not fit moves on to a larger one, and the full one is
    /// freed at `reset`, once no binding points into it.
    private var arena = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 1)
    private var arenaUsed = 0
    private var retired: [UnsafeMutableRawBufferPointer] = []

    func bind(_ value: Int64) {
        sqlite3_bind_int64(handle, position, value)
        position += 1
    }

    func bind(_ value: Int?) {
        if let value { sqlite3_bind_int64(handle, position, Int64(value)) } else { sqlite3_bind_null(handle, position) }
        position += 1
    }

    func bind(_ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, position)
            position += 1
            return
        }
        value.withUTF8 { bind(utf8: $0) }
    }

    /// Binds UTF-8 bytes as text (a copy: the bytes may change or go once this returns).
    func bind(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        if arena.count - arenaUsed < count {
            retired.append(arena)
            arena = .allocate(byteCount: max(arena.count * 2, count), alignment: 1)
            arenaUsed = 0
        }
        let start = arena.baseAddress! + arenaUsed
        if count > 0 { start.copyMemory(from: bytes.baseAddress!, byteCount: count) }
        arenaUsed += count
        // A nil destructor binds in place (SQLITE_STATIC); the empty string still needs a real pointer.
        sqlite3_bind_text(handle, position, start.assumingMemoryBound(to: CChar.self), Int32(count), nil)
        position += 1
    }

    /// Binds UTF-8 bytes as text in place, without the copy `bind(utf8:)` makes: the bytes must
    /// stay valid and unchanged until the statement has run (`execute`, or `reset` after `step`).
    func bind(borrowing bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return bind(utf8: bytes) }
        sqlite3_bind_text(handle, position, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                          Int32(bytes.count), nil)
        borrowed = true
        position += 1
    }

    func bind(utf8 bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { bind(utf8: $0) }
    }

    /// Runs the statement to completion and resets it.
    func execute() throws {
        defer { reset() }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Advances to the next row: true when there is one. Call `reset` when done reading.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let failure = error(code)
        reset()
        throw failure
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The column as text; nil for NULL.
    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Makes the statement ready for new arguments (and releases what a query held).
    func reset() {
        sqlite3_reset(handle)
        if borrowed || !retired.isEmpty {
            // No binding may outlive the bytes it points at.
            sqlite3_clear_bindings(handle)
            borrowed = false
            for block in retired { block.deallocate() }
            retired.removeAll()
        }
        arenaUsed = 0
        position = 1
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
