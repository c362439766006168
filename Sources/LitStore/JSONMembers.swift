// Reading a few members of a stored JSON object straight from its UTF-8 bytes, without building the
// whole value: the exporters need three or four scalar properties of rows whose `props` also hold long
// abstracts. One pass over the top-level members; values not asked for are skipped, strings asked for
// are unescaped into a caller's buffer. The answers are those of SQLite's `json_type` and
// `json_extract` on the same text (the first member of a name wins, as there).
import Foundation

/// The kind of a JSON value, as SQLite's `json_type` names it.
enum JSONKind: UInt8 {
    case null, `true`, `false`, integer, real, text, array, object
}

/// One top-level member: its kind and where its value's text lies in the object's bytes.
struct JSONMember {
    var kind: JSONKind
    var start: Int
    var end: Int
}

enum JSONMembers {
    /// Calls `body(name, member)` for each top-level member of the object in `bytes`, in order; `name`
    /// is the member name's bytes as written between the quotes (escapes left as they are). Returns
    /// false when the text is not a JSON object.
    static func forEach(_ bytes: UnsafeBufferPointer<UInt8>,
                        _ body: (UnsafeBufferPointer<UInt8>, JSONMember) -> Void) -> Bool {
        var members = Iterator(bytes)
        while let (name, member) = members.next() { body(name, member) }
        return !members.failed
    }

    /// The top-level members of a JSON object one at a time; `failed` tells, once `next()` gave nil,
    /// whether the text was not a JSON object.
    struct Iterator {
        let bytes: UnsafeBufferPointer<UInt8>
        var i: Int
        var failed = false
        var done = false

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            i = skipSpace(bytes, 0)
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { failed = true; done = true; return }
            i = skipSpace(bytes, i + 1)
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { finish(at: i) }
        }

        private mutating func finish(at close: Int) {
            done = true
            if skipSpace(bytes, close + 1) != bytes.count { failed = true }
        }

        private mutating func fail() -> (UnsafeBufferPointer<UInt8>, JSONMember)? {
            failed = true
            done = true
            return nil
        }

        mutating func next() -> (UnsafeBufferPointer<UInt8>, JSONMember)? {
            guard !done else { return nil }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let nameEnd = stringEnd(bytes, i) else { return fail() }
            let name = UnsafeBufferPointer(rebasing: bytes[(i + 1)..<(nameEnd - 1)])
            i = skipSpace(bytes, nameEnd)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return fail() }
            i = skipSpace(bytes, i + 1)
            guard let member = value(bytes, i) else { return fail() }
            i = skipSpace(bytes, member.end)
            guard i < bytes.count else { return fail() }
            if bytes[i] == UInt8(ascii: "}") {
                finish(at: i)
            } else {
                guard bytes[i] == UInt8(ascii: ",") else { return fail() }
                i = skipSpace(bytes, i + 1)
            }
            return (name, member)
        }
    }

    /// Calls `body` with each element of the array `member` (positions in `bytes`).
    static func forEachElement(_ bytes: UnsafeBufferPointer<UInt8>, _ member: JSONMember, _ body: (JSONMember) -> Void) {
        var i = skipSpace(bytes, member.start + 1)
        while i < member.end - 1 {
            guard let element = value(bytes, i) else { return }
            body(element)
            i = skipSpace(bytes, element.end)
            guard i < member.end - 1, bytes[i] == UInt8(ascii: ",") else { return }
            i = skipSpace(bytes, i + 1)
        }
    }

    /// Whether a member name as written equals `name` (an ASCII name without escapes).
    @inline(__always)
    static func name(_ written: UnsafeBufferPointer<UInt8>, is name: StaticString) -> Bool {
        guard written.count == name.utf8CodeUnitCount else { return false }
        return memcmp(written.baseAddress!, name.utf8Start, written.count) == 0
    }

    /// A string member's text, unescaped, appended to `out`.
    static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, _ member: JSONMember, to out: inout [UInt8]) {
        appendUnescaped(UnsafeBufferPointer(rebasing: bytes[(member.start + 1)..<(member.end - 1)]), to: &out)
    }

    /// A string member's text.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ member: JSONMember) -> String {
        unescaped(UnsafeBufferPointer(rebasing: bytes[(member.start + 1)..<(member.end - 1)]))
    }

    /// The JSON string body `inner` (between the quotes) with its escapes resolved.
    static func unescaped(_ inner: UnsafeBufferPointer<UInt8>) -> String {
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        appendUnescaped(inner, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The end of the JSON string literal whose opening quote is at `start`: the index just after its
    /// closing quote; nil when it is not closed or a `\u` escape lacks its four hex digits.
    static func stringLiteralEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var i = start + 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                return i + 1
            case UInt8(ascii: "\\"):
                guard i + 1 < bytes.count else { return nil }
                if bytes[i + 1] == UInt8(ascii: "u") {
                    guard hex4(bytes, i + 2) != nil else { return nil }
                    i += 6
                } else {
                    i += 2
                }
            default:
                i += 1
            }
        }
        return nil
    }

    /// An integer member's value; nil when it does not fit in an `Int`.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ member: JSONMember) -> Int? {
        var i = member.start
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var value = 0
        while i < member.end {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let digit = Int(bytes[i] &- 0x30)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = sum
            i += 1
        }
        return value
    }

    /// The JSON string body `text` (between the quotes) with its escapes resolved, as UTF-8.
    static func appendUnescaped(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        var i = 0
        while i < text.count {
            guard text[i] == UInt8(ascii: "\\") else { i += 1; continue }
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<i])) }
            let e = i + 1 < text.count ? text[i + 1] : 0
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var code = hex4(text, i) ?? 0xFFFD
                i += 4
                if (0xD800..<0xDC00).contains(code), i + 1 < text.count, text[i] == UInt8(ascii: "\\"),
                   text[i + 1] == UInt8(ascii: "u"), let low = hex4(text, i + 2), (0xDC00..<0xE000).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                UTF8.encode(scalar) { out.append($0) }
            default: out.append(e)
            }
            start = i
        }
        if start < text.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...])) }
    }

    private static func hex4(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32? {
        guard i + 4 <= text.count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let c = text[k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    @inline(__always)
    static func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        return i
    }

    /// The index after the closing quote of the string starting at `start`: the next quote not
    /// escaped by an odd run of backslashes, found with `memchr`.
    @inline(__always)
    static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var i = start + 1
        while i < bytes.count {
            guard let found = memchr(base + i, 0x22, bytes.count - i) else { return nil }
            let quote = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            var k = quote - 1
            while k > start && bytes[k] == UInt8(ascii: "\\") { k -= 1 }
            if (quote - 1 - k) % 2 == 0 { return quote + 1 }
            i = quote + 1
        }
        return nil
    }

    /// The value starting at `start`: its kind and extent.
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> JSONMember? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return stringEnd(bytes, start).map { JSONMember(kind: .text, start: start, end: $0) }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Skip the nested value by bracket depth, strings skipped whole.
            var depth = 0
            var i = start
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(bytes, i) else { return nil }
                    i = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        return JSONMember(kind: bytes[start] == UInt8(ascii: "{") ? .object : .array, start: start, end: i + 1)
                    }
                default: break
                }
                i += 1
            }
            return nil
        case UInt8(ascii: "t"): return literal(bytes, start, "true", .true)
        case UInt8(ascii: "f"): return literal(bytes, start, "false", .false)
        case UInt8(ascii: "n"): return literal(bytes, start, "null", .null)
        default:
            var i = start
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            let digits = i
            var real = false
            while i < bytes.count {
                let c = bytes[i]
                if c >= 0x30 && c <= 0x39 { i += 1; continue }
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                    || ((c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && real) { real = true; i += 1; continue }
                break
            }
            guard i > digits else { return nil }
            return JSONMember(kind: real ? .real : .integer, start: start, end: i)
        }
    }

    private static func literal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ word: StaticString,
                                _ kind: JSONKind) -> JSONMember? {
        let n = word.utf8CodeUnitCount
        guard start + n <= bytes.count, memcmp(bytes.baseAddress! + start, word.utf8Start, n) == 0 else { return nil }
        return JSONMember(kind: kind, start: start, end: start + n)
    }
}
