// Stage 5 support: the SQL functions every generated query calls on every row (property reads,
// node and relationship values, boolean tests, equality), registered through SQLite's C API so
// that the common cases (an integer, a string, a tagged node id) cost no Swift allocation; the
// rare cases fall back to the CypherValue semantics of CypherFunctions. Also the registration of
// the other scalar functions, which converts SQLite values straight to CypherValue. The only file
// of LitQuery that imports SQLite's C interface.
import Foundation
import GRDB
import LitStore
internal import GRDBSQLite

enum NativeFunctions {
    typealias Context = OpaquePointer
    typealias Arguments = UnsafeMutablePointer<OpaquePointer?>

    static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    static let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC

    /// Registers a C function on the connection of `db`.
    static func register(_ db: Database, _ name: String, _ argc: Int32,
                         _ body: @convention(c) (Context?, Int32, Arguments?) -> Void) {
        sqlite3_create_function_v2(db.sqliteConnection, name, argc, flags, nil, body, nil, nil, nil)
    }

    /// A Swift closure over CypherValues, boxed as the function's user data.
    final class Box {
        let body: CypherFunctions.Fn
        init(_ body: @escaping CypherFunctions.Fn) { self.body = body }
    }

    /// Registers `body` as `name`: arguments decoded to CypherValue, the result encoded back, a
    /// thrown error reported as the function's error (its text is parsed back by the executor).
    static func register(_ db: Database, _ name: String, _ argc: Int?, _ body: @escaping CypherFunctions.Fn) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        sqlite3_create_function_v2(db.sqliteConnection, name, Int32(argc ?? -1), flags, box, { ctx, argc, argv in
            let box = Unmanaged<Box>.fromOpaque(sqlite3_user_data(ctx)!).takeUnretainedValue()
            var args: [CypherValue] = []
            args.reserveCapacity(Int(argc))
            for i in 0..<Int(argc) { args.append(NativeFunctions.value(argv![i])) }
            do {
                NativeFunctions.setResult(ctx, try box.body(args))
            } catch {
                sqlite3_result_error(ctx, "\(error)", -1)
            }
        }, nil, nil, { p in Unmanaged<Box>.fromOpaque(p!).release() })
    }

    /// A function argument as a CypherValue.
    static func value(_ v: OpaquePointer?) -> CypherValue {
        switch sqlite3_value_type(v) {
        case SQLITE_INTEGER: return .int(sqlite3_value_int64(v))
        case SQLITE_FLOAT: return .float(sqlite3_value_double(v))
        case SQLITE_TEXT:
            let count = Int(sqlite3_value_bytes(v))
            guard let p = sqlite3_value_text(v) else { return .string("") }
            return .string(String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_value_bytes(v))
            guard count > 0, let p = sqlite3_value_blob(v) else { return .null }
            return ByteReader.decode(UnsafeRawBufferPointer(start: p, count: count))
        default: return .null
        }
    }

    /// Column `i` of the row `statement` stands on, as a CypherValue (blobs decoded in place);
    /// `entities` becomes true when it holds a node or relationship.
    static func column(_ statement: OpaquePointer, _ i: Int32, entities: inout Bool) -> CypherValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .float(sqlite3_column_double(statement, i))
        case SQLITE_TEXT:
            guard let p = sqlite3_column_text(statement, i) else { return .string("") }
            return .string(String(cString: p))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, i))
            guard count > 0, let p = sqlite3_column_blob(statement, i) else { return .null }
            var reader = ByteReader(bytes: UnsafeRawBufferPointer(start: p, count: count))
            let value = reader.value() ?? .null
            if reader.sawEntity { entities = true }
            return value
        default: return .null
        }
    }

    /// Column `i` when SQLite holds it as an integer.
    static func integer(_ statement: OpaquePointer, _ i: Int32) -> Int64? {
        sqlite3_column_type(statement, i) == SQLITE_INTEGER ? sqlite3_column_int64(statement, i) : nil
    }

    /// The strings of the list encoded in column `i` (see `QueryRow.forEachString`); nothing when
    /// the column is no list or its encoding is broken (it would read as null).
    static func forEachString(inList statement: OpaquePointer, _ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard sqlite3_column_type(statement, i) == SQLITE_BLOB else { return }
        let count = Int(sqlite3_column_bytes(statement, i))
        guard count >= 5, let raw = sqlite3_column_blob(statement, i) else { return }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        guard bytes[0] == Tag.list.rawValue else { return }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        let n = u32(1)
        // The items' extents, checked first: a broken encoding reads as null, which has no strings.
        var at = 5
        for _ in 0..<n {
            if at + 5 <= count, bytes[at] == Tag.string.rawValue {
                at += 5 + u32(at + 1)
                guard at <= count else { return }
            } else {
                var reader = ByteReader(bytes: UnsafeRawBufferPointer(start: raw, count: count))
                reader.at = at
                guard reader.skipValue() else { return }
                at = reader.at
            }
        }
        at = 5
        for _ in 0..<n {
            if bytes[at] == Tag.string.rawValue {
                let length = u32(at + 1)
                try body(UnsafeBufferPointer(start: bytes + at + 5, count: length))
                at += 5 + length
            } else {
                var reader = ByteReader(bytes: UnsafeRawBufferPointer(start: raw, count: count))
                reader.at = at
                _ = reader.skipValue()
                at = reader.at
            }
        }
    }

    static func setResult(_ ctx: Context?, _ value: CypherValue) {
        switch value.databaseValue.storage {
        case .null: sqlite3_result_null(ctx)
        case .int64(let i): sqlite3_result_int64(ctx, i)
        case .double(let d): sqlite3_result_double(ctx, d)
        case .string(let s): sqlite3_result_text(ctx, s, -1, transient)
        case .blob(let data):
            data.withUnsafeBytes { sqlite3_result_blob(ctx, $0.baseAddress, Int32($0.count), transient) }
        }
    }

    static func fail(_ ctx: Context?, _ failure: RuntimeFailure) {
        sqlite3_result_error(ctx, failure.description, -1)
    }

    /// A tag byte and a big-endian 64-bit id: a node or relationship value.
    static func setEntity(_ ctx: Context?, _ tag: Tag, _ id: Int64) {
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (tag.rawValue, 0, 0, 0, 0, 0, 0, 0, 0)
        let u = UInt64(bitPattern: id)
        withUnsafeMutableBytes(of: &bytes) { b in
            for i in 0..<8 { b[1 + i] = UInt8(truncatingIfNeeded: u >> UInt64(56 - 8 * i)) }
            sqlite3_result_blob(ctx, b.baseAddress, 9, transient)
        }
    }

    /// The id of a node (tag 4) or relationship (tag 5) value, else nil.
    static func entityID(_ v: OpaquePointer?, _ tag: Tag) -> Int64? {
        guard sqlite3_value_type(v) == SQLITE_BLOB, sqlite3_value_bytes(v) == 9,
              let p = sqlite3_value_blob(v)?.assumingMemoryBound(to: UInt8.self), p[0] == tag.rawValue else { return nil }
        var u: UInt64 = 0
        for i in 1...8 { u = u << 8 | UInt64(p[i]) }
        return Int64(bitPattern: u)
    }

    static func setBool(_ ctx: Context?, _ b: Bool) {
        var bytes: (UInt8, UInt8) = (Tag.bool.rawValue, b ? 1 : 0)
        withUnsafeBytes(of: &bytes) { sqlite3_result_blob(ctx, $0.baseAddress, 2, transient) }
    }

    /// A boolean value: nil for anything else.
    static func boolValue(_ v: OpaquePointer?) -> Bool? {
        guard sqlite3_value_type(v) == SQLITE_BLOB, sqlite3_value_bytes(v) == 2,
              let p = sqlite3_value_blob(v)?.assumingMemoryBound(to: UInt8.self), p[0] == Tag.bool.rawValue else { return nil }
        return p[1] != 0
    }

    /// Cypher equality when it can be decided without decoding: integers, and strings equal byte
    /// for byte or both ASCII (Swift compares other strings by canonical equivalence). nil: decode.
    static func quickEquals(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool?? {
        let ta = sqlite3_value_type(a), tb = sqlite3_value_type(b)
        if ta == SQLITE_NULL || tb == SQLITE_NULL { return .some(nil) }
        if ta == SQLITE_INTEGER && tb == SQLITE_INTEGER { return .some(sqlite3_value_int64(a) == sqlite3_value_int64(b)) }
        if ta == SQLITE_TEXT && tb == SQLITE_TEXT {
            let pa = sqlite3_value_text(a), na = Int(sqlite3_value_bytes(a))
            let pb = sqlite3_value_text(b), nb = Int(sqlite3_value_bytes(b))
            guard let pa, let pb else { return nil }
            if na == nb && memcmp(pa, pb, na) == 0 { return .some(true) }
            let ascii = { (p: UnsafePointer<UInt8>, n: Int) in (0..<n).allSatisfy { p[$0] < 0x80 } }
            if ascii(pa, na) && ascii(pb, nb) { return .some(false) }
            return nil
        }
        if (ta == SQLITE_TEXT) != (tb == SQLITE_TEXT) && ta != SQLITE_BLOB && tb != SQLITE_BLOB { return .some(false) }
        return nil
    }

    /// Node property values read during one query execution, by node id and JSON path: a node
    /// met on many rows of a join has its properties parsed once per key and query. Generated SQL
    /// asks `cy_mh(id, path)` (known? then `cy_mv()` is the value) and else stores the value read
    /// with `cy_mp(id, path, value)`. The executor empties it before each query
    /// (`cy_memo_reset()`); a query never changes the properties of a node that existed before it.
    final class PropertyMemo {
        struct Key: Hashable {
            var id: Int64
            var path: String
        }
        enum Value {
            case null, int(Int64), double(Double), text([UInt8]), blob([UInt8])
        }
        var values: [Key: Value] = [:]
        var last: Value = .null
        /// Entries kept at most (then the memo starts over): bounds memory on huge joins.
        static let limit = 1 << 21

        static func from(_ ctx: Context?) -> PropertyMemo {
            Unmanaged<PropertyMemo>.fromOpaque(sqlite3_user_data(ctx)!).takeUnretainedValue()
        }

        static func key(_ argv: Arguments) -> Key? {
            guard sqlite3_value_type(argv[0]) == SQLITE_INTEGER, let p = sqlite3_value_text(argv[1]) else { return nil }
            let path = String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_value_bytes(argv[1]))), as: UTF8.self)
            return Key(id: sqlite3_value_int64(argv[0]), path: path)
        }
    }

    static func registerPropertyMemo(_ db: Database) {
        let memo = Unmanaged.passRetained(PropertyMemo()).toOpaque()
        // Not deterministic: the answers depend on the memo's state.
        sqlite3_create_function_v2(db.sqliteConnection, "cy_mh", 2, SQLITE_UTF8, memo, { ctx, _, argv in
            let memo = PropertyMemo.from(ctx)
            guard let key = PropertyMemo.key(argv!), let value = memo.values[key] else { return sqlite3_result_int64(ctx, 0) }
            memo.last = value
            sqlite3_result_int64(ctx, 1)
        }, nil, nil, { p in Unmanaged<PropertyMemo>.fromOpaque(p!).release() })
        sqlite3_create_function_v2(db.sqliteConnection, "cy_mv", 0, SQLITE_UTF8, memo, { ctx, _, _ in
            switch PropertyMemo.from(ctx).last {
            case .null: sqlite3_result_null(ctx)
            case .int(let i): sqlite3_result_int64(ctx, i)
            case .double(let d): sqlite3_result_double(ctx, d)
            case .text(let bytes):
                bytes.withUnsafeBufferPointer { b in
                    b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
                        sqlite3_result_text(ctx, $0, Int32(b.count), NativeFunctions.transient)
                    }
                }
            case .blob(let bytes):
                bytes.withUnsafeBytes { sqlite3_result_blob(ctx, $0.baseAddress, Int32($0.count), NativeFunctions.transient) }
            }
        }, nil, nil, nil)
        sqlite3_create_function_v2(db.sqliteConnection, "cy_mp", 3, SQLITE_UTF8, memo, { ctx, _, argv in
            let memo = PropertyMemo.from(ctx)
            let v = argv![2]
            if let key = PropertyMemo.key(argv!) {
                let n = Int(sqlite3_value_bytes(v))
                let value: PropertyMemo.Value
                switch sqlite3_value_type(v) {
                case SQLITE_INTEGER: value = .int(sqlite3_value_int64(v))
                case SQLITE_FLOAT: value = .double(sqlite3_value_double(v))
                case SQLITE_TEXT: value = .text(sqlite3_value_text(v).map { Array(UnsafeBufferPointer(start: $0, count: n)) } ?? [])
                case SQLITE_BLOB:
                    value = .blob(sqlite3_value_blob(v).map { Array(UnsafeRawBufferPointer(start: $0, count: n)) } ?? [])
                default: value = .null
                }
                if memo.values.count >= PropertyMemo.limit { memo.values.removeAll() }
                memo.values[key] = value
            }
            sqlite3_result_value(ctx, v)
        }, nil, nil, nil)
        sqlite3_create_function_v2(db.sqliteConnection, "cy_memo_reset", 0, SQLITE_UTF8, memo, { ctx, _, _ in
            let memo = PropertyMemo.from(ctx)
            memo.values.removeAll()
            memo.last = .null
            sqlite3_result_null(ctx)
        }, nil, nil, nil)
    }

    /// One group's `cy_collect` / `cy_collect_distinct`, kept in SQLite's aggregate context (zeroed
    /// before the group's first row): the list's encoding in a malloc'd buffer, its count written
    /// last. For the distinct form, where each item starts (shifted left once, the low bit set for
    /// an item that came as a blob) to compare a new value with them as SQLite's DISTINCT does;
    /// past `linearLimit` items they are compared through a set. Plain memory, so that a row costs
    /// no allocation and no exclusivity check.
    struct CollectState {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length: Int
        var capacity: Int
        var count: UInt32
        var starts: UnsafeMutablePointer<Int>?
        var startsCapacity: Int
        /// An `Unmanaged<SeenItems>` once the items are too many to compare one by one.
        var seen: UnsafeMutableRawPointer?

        static let linearLimit = 16

        /// Room for `n` more bytes (the list's header written when the buffer is first made).
        mutating func reserve(_ n: Int) {
            if bytes == nil {
                capacity = max(64, n + 5)
                bytes = .allocate(capacity: capacity)
                bytes![0] = Tag.list.rawValue
                length = 5
            }
            guard length + n > capacity else { return }
            var grown = capacity * 2
            while grown < length + n { grown *= 2 }
            let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            moved.update(from: bytes!, count: length)
            bytes!.deallocate()
            bytes = moved
            capacity = grown
        }

        mutating func append(_ byte: UInt8) {
            reserve(1)
            bytes![length] = byte
            length += 1
        }

        mutating func append(_ raw: UnsafeRawBufferPointer) {
            guard !raw.isEmpty else { return }
            reserve(raw.count)
            UnsafeMutableRawPointer(bytes! + length).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
            length += raw.count
        }

        /// A tag and a big-endian integer of `width` bytes.
        mutating func append(tag: Tag, _ v: UInt64, width: Int) {
            reserve(1 + width)
            bytes![length] = tag.rawValue
            for i in 0..<width { bytes![length + 1 + i] = UInt8(truncatingIfNeeded: v >> UInt64(8 * (width - 1 - i))) }
            length += 1 + width
        }

        func u64(_ at: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<8 { v = v << 8 | UInt64(bytes![at + i]) }
            return v
        }

        /// The key of the value encoded in `bytes[start..<end]`.
        func key(at start: Int, to end: Int, fromBlob: Bool) -> DistinctKey {
            let items = UnsafeBufferPointer(start: bytes! + start, count: end - start)
            if fromBlob { return .blob(Array(items)) }
            switch items[0] {
            case Tag.int.rawValue: return DistinctKey(integer: Int64(bitPattern: u64(start + 1)))
            case Tag.float.rawValue: return DistinctKey(real: Double(bitPattern: u64(start + 1)))
            default: return .text(Array(items[5...]))
            }
        }

        /// Item `i`: where it starts and ends, and whether it came as a blob.
        func item(_ i: Int, end: Int) -> (start: Int, end: Int, fromBlob: Bool) {
            let s = starts![i]
            return (s >> 1, i + 1 < Int(count) ? starts![i + 1] >> 1 : end, s & 1 == 1)
        }

        /// Whether a taken item equals the value appended at `start` (the items taken end there).
        func contains(_ start: Int, fromBlob blob: Bool) -> Bool {
            if let seen {
                return Unmanaged<SeenItems>.fromOpaque(seen).takeUnretainedValue().keys.contains(key(at: start, to: length, fromBlob: blob))
            }
            let n = length - start
            func numeric(_ tag: UInt8) -> Bool { tag == Tag.int.rawValue || tag == Tag.float.rawValue }
            let number = !blob && numeric(bytes![start])
            for i in 0..<Int(count) {
                let (s, e, fromBlob) = item(i, end: start)
                guard fromBlob == blob else { continue }
                if number {
                    // By value: an integer equals the float of the same value, 0.0 equals -0.0.
                    if numeric(bytes![s]), key(at: s, to: e, fromBlob: false) == key(at: start, to: length, fromBlob: false) { return true }
                } else if bytes![s] == bytes![start] && e - s == n && memcmp(bytes! + s, bytes! + start, n) == 0 {
                    return true
                }
            }
            return false
        }

        /// Takes the value appended at `start` as the next distinct item.
        mutating func take(_ start: Int, fromBlob: Bool) {
            if Int(count) == startsCapacity {
                let grown = max(8, startsCapacity * 2)
                let moved = UnsafeMutablePointer<Int>.allocate(capacity: grown)
                if let starts { moved.update(from: starts, count: Int(count)); starts.deallocate() }
                starts = moved
                startsCapacity = grown
            }
            starts![Int(count)] = start << 1 | (fromBlob ? 1 : 0)
            count += 1
            if let seen {
                Unmanaged<SeenItems>.fromOpaque(seen).takeUnretainedValue().keys.insert(key(at: start, to: length, fromBlob: fromBlob))
            } else if Int(count) > Self.linearLimit {
                let items = SeenItems()
                for i in 0..<Int(count) {
                    let (s, e, blob) = item(i, end: length)
                    items.keys.insert(key(at: s, to: e, fromBlob: blob))
                }
                seen = UnsafeMutableRawPointer(Unmanaged.passRetained(items).toOpaque())
            }
        }

        /// Frees what the group holds but the list's bytes.
        mutating func releaseItems() {
            starts?.deallocate()
            starts = nil
            if let seen { Unmanaged<SeenItems>.fromOpaque(seen).release() }
            seen = nil
        }
    }

    /// The distinct items of a long collected list, as SQLite's DISTINCT tells them apart.
    final class SeenItems {
        var keys: Set<DistinctKey> = []
    }

    /// A value as SQLite's DISTINCT tells values apart: numbers by value (an integer equals the
    /// float of the same value), text and blobs byte for byte.
    enum DistinctKey: Hashable {
        case integer(Int64), real(Double), text([UInt8]), blob([UInt8])

        init(integer: Int64) { self = .integer(integer) }
        init(real: Double) {
            if real.rounded() == real, real >= -0x1p63, real < 0x1p63 { self = .integer(Int64(real)) } else { self = .real(real) }
        }
    }

    /// `cy_collect(x)` and `cy_collect_distinct(x)`: the non-null values of a group as a list,
    /// encoded item by item as they come (integers, floats and strings without building a
    /// CypherValue); the second keeps the first of values SQLite's DISTINCT would take as equal.
    static func registerCollect(_ db: Database) {
        for (name, distinct) in [("cy_collect", false), ("cy_collect_distinct", true)] {
            sqlite3_create_function_v2(db.sqliteConnection, name, 1, flags, distinct ? UnsafeMutableRawPointer(bitPattern: 1) : nil, nil, { ctx, _, argv in
                guard let state = sqlite3_aggregate_context(ctx, Int32(MemoryLayout<CollectState>.size))?
                    .assumingMemoryBound(to: CollectState.self) else {
                    return sqlite3_result_error_nomem(ctx)
                }
                let distinct = sqlite3_user_data(ctx) != nil
                let v = argv![0]
                let start = state.pointee.bytes == nil ? 5 : state.pointee.length
                var blob = false
                switch sqlite3_value_type(v) {
                case SQLITE_NULL: return
                case SQLITE_INTEGER:
                    state.pointee.append(tag: .int, UInt64(bitPattern: sqlite3_value_int64(v)), width: 8)
                case SQLITE_FLOAT:
                    state.pointee.append(tag: .float, sqlite3_value_double(v).bitPattern, width: 8)
                case SQLITE_TEXT:
                    let n = Int(sqlite3_value_bytes(v))
                    state.pointee.append(tag: .string, UInt64(n), width: 4)
                    if n > 0, let p = sqlite3_value_text(v) { state.pointee.append(UnsafeRawBufferPointer(start: p, count: n)) }
                default:
                    let n = Int(sqlite3_value_bytes(v))
                    let raw = UnsafeRawBufferPointer(start: n > 0 ? sqlite3_value_blob(v) : nil, count: n > 0 ? n : 0)
                    var reader = ByteReader(bytes: raw)
                    guard let value = reader.value(), !value.isNull else { return }
                    if reader.at == raw.count {
                        state.pointee.append(raw)
                    } else {
                        var encoded: [UInt8] = []
                        value.append(to: &encoded)
                        encoded.withUnsafeBytes { state.pointee.append($0) }
                    }
                    blob = true
                }
                guard distinct else { state.pointee.count += 1; return }
                if state.pointee.contains(start, fromBlob: blob) {
                    state.pointee.length = start
                } else {
                    state.pointee.take(start, fromBlob: blob)
                }
            }, { ctx in
                guard let state = sqlite3_aggregate_context(ctx, 0)?.assumingMemoryBound(to: CollectState.self),
                      let bytes = state.pointee.bytes else {
                    let empty: [UInt8] = [Tag.list.rawValue, 0, 0, 0, 0]
                    return empty.withUnsafeBytes { sqlite3_result_blob(ctx, $0.baseAddress, 5, NativeFunctions.transient) }
                }
                state.pointee.releaseItems()
                let count = state.pointee.count
                for i in 0..<4 { bytes[1 + i] = UInt8(truncatingIfNeeded: count >> UInt32(24 - 8 * i)) }
                sqlite3_result_blob(ctx, bytes, Int32(state.pointee.length), NativeFunctions.transient)
                bytes.deallocate()
                state.pointee.bytes = nil
            }, nil)
        }
    }

    /// The JSON text of one value (`p`, `n` bytes) as a Cypher value: strings without escapes and
    /// integers of up to 18 digits decoded here, the rest by JSONReader.
    static func setJSONValue(_ ctx: Context?, _ p: UnsafePointer<UInt8>, _ n: Int) {
        guard n > 0 else { return sqlite3_result_null(ctx) }
        switch p[0] {
        case UInt8(ascii: "\""):
            if n >= 2, !(1..<(n - 1)).contains(where: { p[$0] == UInt8(ascii: "\\") }) {
                return sqlite3_result_text(ctx, UnsafeRawPointer(p + 1).assumingMemoryBound(to: CChar.self), Int32(n - 2), NativeFunctions.transient)
            }
        case UInt8(ascii: "t"): return NativeFunctions.setBool(ctx, true)
        case UInt8(ascii: "f"): return NativeFunctions.setBool(ctx, false)
        case UInt8(ascii: "n"): return sqlite3_result_null(ctx)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            // Up to 18 digits cannot overflow.
            let negative = p[0] == UInt8(ascii: "-")
            let digits = (negative ? 1 : 0)..<n
            if !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ p[$0] >= 48 && p[$0] <= 57 }) {
                var v: Int64 = 0
                for i in digits { v = v * 10 + Int64(p[i] - 48) }
                return sqlite3_result_int64(ctx, negative ? -v : v)
            }
        default: break
        }
        NativeFunctions.setResult(ctx, CypherValue.parseJSON(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
    }

    /// `cy_sortkey(x)`: the ORDER BY key of a value (see `CypherValue.sortKey`), called per row and key.
    static func registerSortKey(_ db: Database) {
        register(db, "cy_sortkey", 1) { ctx, _, argv in
            var key: [UInt8] = []
            NativeFunctions.value(argv![0]).appendSortKey(&key)
            key.withUnsafeBytes { sqlite3_result_blob(ctx, $0.baseAddress, Int32($0.count), NativeFunctions.transient) }
        }
    }

    static func registerHotFunctions(_ db: Database) {
        registerPropertyMemo(db)
        // A property read: `cy_prop(props, name)` is the value of the member `name` (as written
        // between its quotes) of the JSON object `props`, as a Cypher value; null when there is none.
        register(db, "cy_prop", 2) { ctx, _, argv in
            let props = argv![0], name = argv![1]
            guard sqlite3_value_type(props) != SQLITE_NULL else { return sqlite3_result_null(ctx) }
            let n = Int(sqlite3_value_bytes(props))
            guard let p = sqlite3_value_text(props), let k = sqlite3_value_text(name) else { return sqlite3_result_null(ctx) }
            let key = UnsafeBufferPointer(start: k, count: Int(sqlite3_value_bytes(name)))
            switch JSONValue.memberValue(named: key, in: UnsafeBufferPointer(start: p, count: n)) {
            case .some(let range?): NativeFunctions.setJSONValue(ctx, p + range.lowerBound, range.count)
            case .some(nil): sqlite3_result_null(ctx)
            case nil: sqlite3_result_error(ctx, "malformed JSON", -1)
            }
        }
        register(db, "cy_node", 1) { ctx, _, argv in
            guard sqlite3_value_type(argv![0]) == SQLITE_INTEGER else { return sqlite3_result_null(ctx) }
            NativeFunctions.setEntity(ctx, .node, sqlite3_value_int64(argv![0]))
        }
        register(db, "cy_rel", 1) { ctx, _, argv in
            guard sqlite3_value_type(argv![0]) == SQLITE_INTEGER else { return sqlite3_result_null(ctx) }
            NativeFunctions.setEntity(ctx, .relationship, sqlite3_value_int64(argv![0]))
        }
        register(db, "cy_nid", 1) { ctx, _, argv in
            if let id = NativeFunctions.entityID(argv![0], .node) { sqlite3_result_int64(ctx, id) } else { sqlite3_result_null(ctx) }
        }
        register(db, "cy_rid", 1) { ctx, _, argv in
            if let id = NativeFunctions.entityID(argv![0], .relationship) { sqlite3_result_int64(ctx, id) } else { sqlite3_result_null(ctx) }
        }
        // SQLite's 0/1 (or NULL) as a Cypher boolean.
        register(db, "cy_bool", 1) { ctx, _, argv in
            switch sqlite3_value_type(argv![0]) {
            case SQLITE_NULL: sqlite3_result_null(ctx)
            case SQLITE_INTEGER: NativeFunctions.setBool(ctx, sqlite3_value_int64(argv![0]) != 0)
            case SQLITE_FLOAT:
                if let i = Int64(exactly: sqlite3_value_double(argv![0])) { NativeFunctions.setBool(ctx, i != 0) } else { sqlite3_result_null(ctx) }
            default: sqlite3_result_null(ctx)
            }
        }
        // A WHERE condition: 1 only for true; null is 0; anything else is a type error.
        register(db, "cy_true", 1) { ctx, _, argv in
            if sqlite3_value_type(argv![0]) == SQLITE_NULL { return sqlite3_result_int64(ctx, 0) }
            if let b = NativeFunctions.boolValue(argv![0]) { return sqlite3_result_int64(ctx, b ? 1 : 0) }
            NativeFunctions.fail(ctx, .type("expected a boolean, got \(NativeFunctions.value(argv![0]).typeName)"))
        }
        register(db, "cy_eq", 2) { ctx, _, argv in
            let result = NativeFunctions.quickEquals(argv![0], argv![1]) ?? CypherValue.equals(NativeFunctions.value(argv![0]), NativeFunctions.value(argv![1]))
            if let result { NativeFunctions.setBool(ctx, result) } else { sqlite3_result_null(ctx) }
        }
        register(db, "cy_neq", 2) { ctx, _, argv in
            let result = NativeFunctions.quickEquals(argv![0], argv![1]) ?? CypherValue.equals(NativeFunctions.value(argv![0]), NativeFunctions.value(argv![1]))
            if let result { NativeFunctions.setBool(ctx, !result) } else { sqlite3_result_null(ctx) }
        }
        // An equality usable as a join condition: 1 only when Cypher says true.
        register(db, "cy_eqt", 2) { ctx, _, argv in
            let result = NativeFunctions.quickEquals(argv![0], argv![1]) ?? CypherValue.equals(NativeFunctions.value(argv![0]), NativeFunctions.value(argv![1]))
            sqlite3_result_int64(ctx, result == true ? 1 : 0)
        }
    }
}
