// Stage 1: the lexer. Turns query text into tokens with their source offsets; never fails (bad
// characters and unterminated strings become `.invalid` tokens that the parser reports).
import Foundation

struct Token: Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)      // also keywords; compare case-insensitively with `isKeyword`
        case quotedIdentifier(String) // `backticked`
        case integer(String)         // digits as written (decimal, 0x…, 0o…)
        case float(String)
        case string(String)
        case parameter(String)
        case symbol(String)          // punctuation and operators
        case invalid(String)         // message
        case end
    }
    var kind: Kind
    /// UTF-8 offsets into the query text.
    var start: Int
    var end: Int

    func isKeyword(_ word: String) -> Bool {
        if case .identifier(let s) = kind { return s.caseInsensitiveCompare(word) == .orderedSame }
        return false
    }
    func isSymbol(_ s: String) -> Bool {
        if case .symbol(let t) = kind { return t == s }
        return false
    }
}

struct Lexer {
    let bytes: [UInt8]
    var at = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    static func tokenize(_ text: String) -> [Token] {
        var lexer = Lexer(text)
        var out: [Token] = []
        while true {
            let token = lexer.next()
            out.append(token)
            if token.kind == .end { return out }
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8 { at + offset < bytes.count ? bytes[at + offset] : 0 }

    private static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c >= 0x80
    }
    private static func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) || c == 36 }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    mutating func skipTrivia() {
        while at < bytes.count {
            let c = bytes[at]
            if c == 32 || c == 9 || c == 10 || c == 13 || c == 12 { at += 1; continue }
            if c == 47, peek(1) == 47 { while at < bytes.count && bytes[at] != 10 { at += 1 }; continue }
            if c == 47, peek(1) == 42 {
                at += 2
                while at < bytes.count && !(bytes[at] == 42 && peek(1) == 47) { at += 1 }
                at = min(bytes.count, at + 2)
                continue
            }
            break
        }
    }

    mutating func next() -> Token {
        skipTrivia()
        let start = at
        guard at < bytes.count else { return Token(kind: .end, start: at, end: at) }
        let c = bytes[at]
        func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }

        if c == 0xE2 || c == 0xEF, let dash = unicodeDash() { return dash }
        if Self.isIdentStart(c) {
            while at < bytes.count && Self.isIdentPart(bytes[at]) { at += 1 }
            return Token(kind: .identifier(text(start, at)), start: start, end: at)
        }
        if c == 96 { // `
            at += 1
            var name: [UInt8] = []
            while at < bytes.count {
                if bytes[at] == 96 {
                    if peek(1) == 96 { name.append(96); at += 2; continue }
                    break
                }
                name.append(bytes[at]); at += 1
            }
            if at >= bytes.count { return Token(kind: .invalid("unterminated quoted name"), start: start, end: at) }
            at += 1
            return Token(kind: .quotedIdentifier(String(decoding: name, as: UTF8.self)), start: start, end: at)
        }
        if Self.isDigit(c) || (c == 46 && Self.isDigit(peek(1))) {
            return number(start)
        }
        if c == 39 || c == 34 { return string(quote: c, start: start) }
        if c == 36 { // $
            at += 1
            if at < bytes.count && bytes[at] == 96 {
                var sub = Lexer(text(at, bytes.count))
                let t = sub.next()
                at += sub.at
                if case .quotedIdentifier(let n) = t.kind { return Token(kind: .parameter(n), start: start, end: at) }
            }
            let nameStart = at
            while at < bytes.count && Self.isIdentPart(bytes[at]) { at += 1 }
            if nameStart == at { return Token(kind: .invalid("expected a parameter name after '$'"), start: start, end: at) }
            return Token(kind: .parameter(text(nameStart, at)), start: start, end: at)
        }
        let two = at + 1 < bytes.count ? text(at, at + 2) : ""
        for op in ["<>", "<=", ">=", "=~", "..", "+=", "!="] where two == op {
            at += 2
            return Token(kind: .symbol(op), start: start, end: at)
        }
        if "()[]{},.:;|+-*/%^=<>$!?".utf8.contains(c) {
            at += 1
            return Token(kind: .symbol(text(start, at)), start: start, end: at)
        }
        // An unexpected character: one whole scalar.
        at += 1
        while at < bytes.count && (bytes[at] & 0xC0) == 0x80 { at += 1 }
        return Token(kind: .invalid("unexpected character '\(text(start, at))'"), start: start, end: at)
    }

    /// A Unicode dash or minus sign, which looks like '-' but is not.
    private mutating func unicodeDash() -> Token? {
        let start = at
        var end = at + 1
        while end < bytes.count && (bytes[end] & 0xC0) == 0x80 { end += 1 }
        let character = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let scalar = character.unicodeScalars.first,
              (0x2010...0x2015).contains(scalar.value) || scalar.value == 0x2212 || scalar.value == 0xFE63 || scalar.value == 0xFF0D
        else { return nil }
        at = end
        return Token(kind: .invalid("Unicode character '\(character)' (U+\(String(scalar.value, radix: 16, uppercase: true))) is not '-'"), start: start, end: end)
    }

    private mutating func number(_ start: Int) -> Token {
        func text() -> String { String(decoding: bytes[start..<at], as: UTF8.self) }
        if bytes[at] == 48, peek(1) == 120 || peek(1) == 111 { // 0x 0o
            at += 2
            while at < bytes.count && Self.isIdentPart(bytes[at]) { at += 1 }
            return Token(kind: .integer(text()), start: start, end: at)
        }
        var isFloat = false
        while at < bytes.count && Self.isDigit(bytes[at]) { at += 1 }
        if at < bytes.count && bytes[at] == 46 && Self.isDigit(peek(1)) {
            isFloat = true
            at += 1
            while at < bytes.count && Self.isDigit(bytes[at]) { at += 1 }
        }
        if at < bytes.count && (bytes[at] == 101 || bytes[at] == 69) {
            let save = at
            at += 1
            if at < bytes.count && (bytes[at] == 45 || bytes[at] == 43) { at += 1 }
            if at < bytes.count && Self.isDigit(bytes[at]) {
                isFloat = true
                while at < bytes.count && Self.isDigit(bytes[at]) { at += 1 }
            } else { at = save }
        }
        // A number running into letters (`1a`, `0_1`) is one bad token.
        if at < bytes.count && Self.isIdentStart(bytes[at]) {
            while at < bytes.count && Self.isIdentPart(bytes[at]) { at += 1 }
            return Token(kind: .invalid("invalid number literal '\(text())'"), start: start, end: at)
        }
        return Token(kind: isFloat ? .float(text()) : .integer(text()), start: start, end: at)
    }

    private mutating func string(quote: UInt8, start: Int) -> Token {
        at += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw = [] }
        }
        while at < bytes.count {
            let c = bytes[at]
            if c == quote { at += 1; flush(); return Token(kind: .string(String(scalars)), start: start, end: at) }
            if c == 92 { // backslash
                flush()
                let e = peek(1)
                at += 2
                switch e {
                case 92: scalars.append("\\")
                case 39: scalars.append("'")
                case 34: scalars.append("\"")
                case 110: scalars.append("\n")
                case 116: scalars.append("\t")
                case 114: scalars.append("\r")
                case 98: scalars.append("\u{8}")
                case 102: scalars.append("\u{c}")
                case 117, 85: // \uXXXX \UXXXXXXXX
                    let n = e == 117 ? 4 : 8
                    guard at + n <= bytes.count,
                          let v = UInt32(String(decoding: bytes[at..<at + n], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(v) else {
                        return Token(kind: .invalid("invalid unicode escape"), start: start, end: min(at + n, bytes.count))
                    }
                    scalars.append(scalar)
                    at += n
                default:
                    return Token(kind: .invalid("invalid escape sequence"), start: start, end: min(at, bytes.count))
                }
                continue
            }
            raw.append(c)
            at += 1
        }
        return Token(kind: .invalid("unterminated string"), start: start, end: at)
    }
}
