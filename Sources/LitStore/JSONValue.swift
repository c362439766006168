// Property values as the store keeps them in `props` columns: a JSON value that keeps integers,
// reals and booleans apart (as Cypher does), with a small exact parser and a canonical encoder
// (sorted keys) so that equal property maps have equal text.
import Foundation

/// A JSON value with integer and real numbers kept apart.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int? { if case .int(let i) = self { return i }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }

    /// The JSON string literal whose opening quote is at `start`, decoded, and the index just after it;
    /// nil when it is not closed or a `\u` escape lacks its four hex digits. Escapes that name no
    /// character (a lone surrogate) decode to U+FFFD.
    public static func stringLiteral(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (String, end: Int)? {
        guard let end = JSONMembers.stringLiteralEnd(bytes, at: start) else { return nil }
        return (JSONMembers.unescaped(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(end - 1)])), end)
    }

    /// Canonical JSON text: no spaces, object keys sorted.
    public var encoded: String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        encode(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func encode(into out: inout String) {
        out += encoded
    }

    /// Appends the canonical JSON text as UTF-8 bytes.
    public func encode(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isFinite {
                var text = "\(d)"
                if !text.contains(".") && !text.contains("e") && !text.contains("E") { text += ".0" }
                out.append(contentsOf: text.utf8)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        case .string(let s): JSONValue.appendQuoted(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.encode(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.appendQuoted(key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.encode(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `s` as a JSON string literal.
    public static func appendQuoted(_ s: String, to out: inout String) {
        var bytes: [UInt8] = []
        appendQuoted(s, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal, as UTF-8 bytes.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    /// Appends UTF-8 text as a JSON string literal; runs of bytes that need no escape are copied
    /// whole, found eight bytes at a time.
    public static func appendQuoted(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        guard let base = bytes.baseAddress else {
            out.append(0x22)
            return
        }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var start = 0
        var i = 0
        while i < count {
            // Whole words with no control character, quote or backslash are skipped.
            while i + 8 <= count, !mayNeedEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
            let stop = min(i + 8, count)
            while i < stop {
                let b = base[i]
                if b < 0x20 || b == 0x22 || b == 0x5C { break }
                i += 1
            }
            if i == stop { continue }
            let b = base[i]
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            i += 1
            start = i
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                let digits = hex.utf8Start
                out.append(0x5C)
                out.append(UInt8(ascii: "u"))
                out.append(0x30)
                out.append(0x30)
                out.append(digits[Int(b >> 4)])
                out.append(digits[Int(b & 0xF)])
            }
        }
        if start < count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        out.append(0x22)
    }

    /// Whether one of the eight bytes of `w` may be below 0x20, a quote or a backslash (exact when
    /// false).
    @inline(__always)
    private static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let below20 = (w &- ones &* 0x20) & ~w & highs
        let q = w ^ (ones &* 0x22), s = w ^ (ones &* 0x5C)
        let quote = (q &- ones) & ~q & highs
        let backslash = (s &- ones) & ~s & highs
        return (below20 | quote | backslash) != 0
    }

    /// Parses JSON text; nil when it is not valid JSON.
    public static func parse(_ text: String) -> JSONValue? {
        var parser = JSONParser(bytes: Array(text.utf8))
        guard let value = parser.value() else { return nil }
        parser.skipSpace()
        return parser.index == parser.bytes.count ? value : nil
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    mutating func value() -> JSONValue? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let v = value() else { return nil }
                members[key] = v
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                return nil
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                guard let v = value() else { return nil }
                items.append(v)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                return nil
            }
        case UInt8(ascii: "\""):
            return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default:
            return number()
        }
    }

    mutating func literal(_ word: String, _ v: JSONValue) -> JSONValue? {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { return nil }
        index += w.count
        return v
    }

    mutating func number() -> JSONValue? {
        let start = index
        var isReal = false
        while index < bytes.count {
            let c = bytes[index]
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                index += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                isReal = true
                index += 1
            } else {
                break
            }
        }
        guard index > start else { return nil }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if !isReal, let i = Int(text) { return .int(i) }
        return Double(text).map(JSONValue.double)
    }

    mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\""),
              let (text, end) = bytes.withUnsafeBufferPointer({ JSONValue.stringLiteral($0, at: index) }) else { return nil }
        index = end
        return text
    }
}
