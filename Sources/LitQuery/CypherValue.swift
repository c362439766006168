// Values of the query language and their encoding in SQLite. Cypher tells `1` from `1.0` from `true`
// from `'1'`, and has lists, maps, nodes and relationships; SQLite has five storage classes. Null,
// integers, floats and strings travel as SQLite's own NULL, INTEGER, REAL and TEXT; everything else
// travels as a BLOB whose first byte says what it is (see `Tag`), so a value's type survives every
// step of a generated query.
import Foundation
import GRDB
import LitStore

/// A node or relationship: an id, plus labels (or the type) and properties once read from the store.
public struct CypherEntity: Hashable, Sendable {
    public var id: Int64
    public var labels: [String]
    public var properties: [String: CypherValue]

    public init(id: Int64, labels: [String] = [], properties: [String: CypherValue] = [:]) {
        self.id = id
        self.labels = labels
        self.properties = properties
    }
    public static func == (a: CypherEntity, b: CypherEntity) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// One Cypher value.
public enum CypherValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case list([CypherValue])
    case map([String: CypherValue])
    case node(CypherEntity)
    /// A relationship; `labels` holds its one type.
    case relationship(CypherEntity)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The type name used in error messages.
    public var typeName: String {
        switch self {
        case .null: "Null"
        case .bool: "Boolean"
        case .int: "Integer"
        case .float: "Float"
        case .string: "String"
        case .list: "List"
        case .map: "Map"
        case .node: "Node"
        case .relationship: "Relationship"
        }
    }
}

// MARK: - Encoding

/// First byte of an encoded value (inside a BLOB, and before each element of a list or map).
enum Tag: UInt8 {
    case null = 0, bool = 1, list = 2, map = 3, node = 4, relationship = 5, int = 6, float = 7, string = 8
}

extension CypherValue {
    /// The value as SQLite stores it.
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .int(let v): return v.databaseValue
        case .float(let v):
            if v.isNaN { return blob() }
            return v.databaseValue
        case .string(let v): return v.databaseValue
        default: return blob()
        }
    }

    private func blob() -> DatabaseValue {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        append(to: &bytes)
        return Data(bytes).databaseValue
    }

    /// Appends the tagged binary form (canonical: map keys sorted).
    func append(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(Tag.null.rawValue)
        case .bool(let b): out.append(Tag.bool.rawValue); out.append(b ? 1 : 0)
        case .int(let v): out.append(Tag.int.rawValue); Self.put64(UInt64(bitPattern: v), &out)
        case .float(let v): out.append(Tag.float.rawValue); Self.put64(v.bitPattern, &out)
        case .string(let s):
            out.append(Tag.string.rawValue)
            let utf8 = Array(s.utf8)
            Self.put32(UInt32(utf8.count), &out)
            out.append(contentsOf: utf8)
        case .list(let items):
            out.append(Tag.list.rawValue)
            Self.put32(UInt32(items.count), &out)
            for item in items { item.append(to: &out) }
        case .map(let entries):
            out.append(Tag.map.rawValue)
            Self.put32(UInt32(entries.count), &out)
            for key in entries.keys.sorted() {
                let utf8 = Array(key.utf8)
                Self.put32(UInt32(utf8.count), &out)
                out.append(contentsOf: utf8)
                entries[key]!.append(to: &out)
            }
        case .node(let e): out.append(Tag.node.rawValue); Self.put64(UInt64(bitPattern: e.id), &out)
        case .relationship(let e): out.append(Tag.relationship.rawValue); Self.put64(UInt64(bitPattern: e.id), &out)
        }
    }

    static func put64(_ v: UInt64, _ out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }
    static func put32(_ v: UInt32, _ out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    /// Decodes a value produced by generated SQL.
    init(_ dbValue: DatabaseValue) {
        switch dbValue.storage {
        case .null: self = .null
        case .int64(let v): self = .int(v)
        case .double(let v): self = .float(v)
        case .string(let s): self = .string(s)
        case .blob(let data):
            self = data.withUnsafeBytes { ByteReader.decode($0) }
        }
    }
}

/// Reads the tagged binary form in place (the bytes must outlive the reader).
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var at = 0
    /// Whether a node or relationship was read (its labels and properties are yet to be filled in).
    var sawEntity = false

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The value encoded in `bytes`, or null when they are not a valid encoding.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> CypherValue {
        var reader = ByteReader(bytes: bytes)
        return reader.value() ?? .null
    }

    mutating func u64() -> UInt64? {
        guard at + 8 <= bytes.count else { return nil }
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(bytes[at + i]) }
        at += 8
        return v
    }
    mutating func u32() -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[at + i]) }
        at += 4
        return v
    }
    mutating func string() -> String? {
        guard let n = u32().map(Int.init), at + n <= bytes.count else { return nil }
        defer { at += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<at + n]), as: UTF8.self)
    }
    /// Moves past one encoded value without building it; false when the encoding is broken (where
    /// `value()` gives nil).
    mutating func skipValue() -> Bool {
        guard at < bytes.count, let tag = Tag(rawValue: bytes[at]) else { return false }
        at += 1
        switch tag {
        case .null: return true
        case .bool:
            guard at < bytes.count else { return false }
            at += 1
            return true
        case .int, .float, .node, .relationship: return u64() != nil
        case .string:
            guard let n = u32().map(Int.init), at + n <= bytes.count else { return false }
            at += n
            return true
        case .list:
            guard let n = u32() else { return false }
            for _ in 0..<n { guard skipValue() else { return false } }
            return true
        case .map:
            guard let n = u32() else { return false }
            for _ in 0..<n {
                guard let k = u32().map(Int.init), at + k <= bytes.count else { return false }
                at += k
                guard skipValue() else { return false }
            }
            return true
        }
    }

    mutating func value() -> CypherValue? {
        guard at < bytes.count, let tag = Tag(rawValue: bytes[at]) else { return nil }
        at += 1
        switch tag {
        case .null: return .null
        case .bool:
            guard at < bytes.count else { return nil }
            at += 1
            return .bool(bytes[at - 1] != 0)
        case .int: return u64().map { .int(Int64(bitPattern: $0)) }
        case .float: return u64().map { .float(Double(bitPattern: $0)) }
        case .string: return string().map { .string($0) }
        case .list:
            guard let n = u32() else { return nil }
            var items: [CypherValue] = []
            // Every item takes at least one byte: a corrupt count cannot reserve more than the bytes left.
            items.reserveCapacity(min(Int(n), bytes.count - at))
            for _ in 0..<n { guard let v = value() else { return nil }; items.append(v) }
            return .list(items)
        case .map:
            guard let n = u32() else { return nil }
            var entries: [String: CypherValue] = [:]
            for _ in 0..<n {
                guard let k = string(), let v = value() else { return nil }
                entries[k] = v
            }
            return .map(entries)
        case .node:
            sawEntity = true
            return u64().map { .node(CypherEntity(id: Int64(bitPattern: $0))) }
        case .relationship:
            sawEntity = true
            return u64().map { .relationship(CypherEntity(id: Int64(bitPattern: $0))) }
        }
    }
}

// MARK: - JSON (property storage)

extension CypherValue {
    /// Parses JSON text as stored in `props` (booleans stay booleans, `1.0` stays a float).
    static func parseJSON(_ text: String) -> CypherValue {
        var parser = JSONReader(bytes: Array(text.utf8))
        return parser.value() ?? .null
    }

    /// JSON text for storage; floats keep a decimal point so they read back as floats.
    var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let v): return String(v)
        case .float(let v):
            if !v.isFinite { return "null" }
            let s = Self.formatFloat(v)
            return s.contains(".") || s.contains("e") || s.contains("E") ? s : s + ".0"
        case .string(let s): return Self.jsonQuote(s)
        case .list(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .map(let m):
            return "{" + m.keys.sorted().map { Self.jsonQuote($0) + ":" + m[$0]!.jsonText }.joined(separator: ",") + "}"
        case .node(let e), .relationship(let e): return String(e.id)
        }
    }

    static func jsonQuote(_ s: String) -> String {
        var out = ""
        appendJSONQuoted(s, to: &out)
        return out
    }

    /// Appends `s` as a JSON string literal.
    static func appendJSONQuoted(_ s: String, to out: inout String) {
        out += "\""
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    /// Shortest round-trip form of a float with at least one decimal, as the TCK prints it.
    static func formatFloat(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "Inf" }
        var s = "\(v)"
        if !s.contains(".") && !s.contains("e") { s += ".0" }
        return s
    }
}

/// A small JSON reader that keeps integers and floats apart.
struct JSONReader {
    let bytes: [UInt8]
    var at = 0

    mutating func skip() {
        while at < bytes.count, bytes[at] == 32 || bytes[at] == 9 || bytes[at] == 10 || bytes[at] == 13 { at += 1 }
    }

    mutating func value() -> CypherValue? {
        skip()
        guard at < bytes.count else { return nil }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            var m: [String: CypherValue] = [:]
            skip()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .map(m) }
            while true {
                skip()
                guard let k = string() else { return nil }
                skip()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
                at += 1
                guard let v = value() else { return nil }
                m[k] = v
                skip()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return .map(m) }
                return nil
            }
        case UInt8(ascii: "["):
            at += 1
            var items: [CypherValue] = []
            skip()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .list(items) }
            while true {
                guard let v = value() else { return nil }
                items.append(v)
                skip()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "]") { at += 1; return .list(items) }
                return nil
            }
        case UInt8(ascii: "\""):
            return string().map(CypherValue.string)
        case UInt8(ascii: "t"): return word("true", .bool(true))
        case UInt8(ascii: "f"): return word("false", .bool(false))
        case UInt8(ascii: "n"): return word("null", .null)
        default:
            let start = at
            var isFloat = false
            while at < bytes.count, let c = Optional(bytes[at]),
                  (c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 || c == 101 || c == 69 {
                if c == 46 || c == 101 || c == 69 { isFloat = true }
                at += 1
            }
            let text = String(decoding: bytes[start..<at], as: UTF8.self)
            if !isFloat, let i = Int64(text) { return .int(i) }
            return Double(text).map(CypherValue.float)
        }
    }

    mutating func word(_ w: String, _ v: CypherValue) -> CypherValue? {
        let u = Array(w.utf8)
        guard at + u.count <= bytes.count, Array(bytes[at..<at + u.count]) == u else { return nil }
        at += u.count
        return v
    }

    mutating func string() -> String? {
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\""),
              let (text, end) = bytes.withUnsafeBufferPointer({ JSONValue.stringLiteral($0, at: at) }) else { return nil }
        at = end
        return text
    }
}

extension CypherValue {
    /// A value as generated SQL stores it (for printing parameters).
    public static func fromDatabase(_ value: DatabaseValue) -> CypherValue { CypherValue(value) }
}
