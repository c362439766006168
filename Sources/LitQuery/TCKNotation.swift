// The openCypher TCK's value notation (`'str'`, `1.0`, `[1, 2]`, `{k: v}`, `(:L {p: 1})`,
// `[:T {p: 1}]`): printing for `--format tck`, and parsing for parameter files and expectations.
import Foundation

extension CypherValue {
    /// The value in TCK notation.
    public var tckText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): return Self.formatFloat(f).replacingOccurrences(of: "e+", with: "e")
        case .string(let s):
            if !s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "'") }) { return "'" + s + "'" }
            return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .list(let items): return "[" + items.map(\.tckText).joined(separator: ", ") + "]"
        case .map(let m): return Self.tckMap(m)
        case .node(let e):
            let labels = e.labels.map { ":" + $0 }.joined()
            let props = e.properties.isEmpty ? "" : (labels.isEmpty ? "" : " ") + Self.tckMap(e.properties)
            return "(" + labels + props + ")"
        case .relationship(let e):
            let props = e.properties.isEmpty ? "" : " " + Self.tckMap(e.properties)
            return "[:" + (e.labels.first ?? "") + props + "]"
        }
    }

    static func tckMap(_ m: [String: CypherValue]) -> String {
        "{" + m.keys.sorted().map { "\($0): \(m[$0]!.tckText)" }.joined(separator: ", ") + "}"
    }

    /// Parses a value in TCK notation; nodes and relationships get id -1.
    public static func parseTCK(_ text: String) -> CypherValue? {
        var p = TCKReader(chars: Array(text.unicodeScalars))
        guard let v = p.value() else { return nil }
        p.skip()
        return p.at == p.chars.count ? v : nil
    }
}

struct TCKReader {
    let chars: [Unicode.Scalar]
    var at = 0

    mutating func skip() { while at < chars.count, chars[at].properties.isWhitespace { at += 1 } }
    mutating func accept(_ c: Unicode.Scalar) -> Bool {
        skip()
        if at < chars.count, chars[at] == c { at += 1; return true }
        return false
    }
    mutating func word() -> String {
        skip()
        var s = ""
        while at < chars.count, chars[at].properties.isAlphabetic || ("0"..."9").contains(chars[at]) || chars[at] == "_" || chars[at] == "$" {
            s.unicodeScalars.append(chars[at]); at += 1
        }
        return s
    }
    mutating func mapBody() -> [String: CypherValue]? {
        var m: [String: CypherValue] = [:]
        if accept("}") { return m }
        repeat {
            let k = word()
            guard !k.isEmpty, accept(":"), let v = value() else { return nil }
            m[k] = v
        } while accept(",")
        return accept("}") ? m : nil
    }
    mutating func value() -> CypherValue? {
        skip()
        guard at < chars.count else { return nil }
        let c = chars[at]
        if c == "'" {
            at += 1
            var s = String.UnicodeScalarView()
            while at < chars.count, chars[at] != "'" {
                if chars[at] == "\\", at + 1 < chars.count, chars[at + 1] == "'" || chars[at + 1] == "\\" { at += 1 }
                s.append(chars[at]); at += 1
            }
            guard at < chars.count else { return nil }
            at += 1
            return .string(String(s))
        }
        if c == "[" {
            at += 1
            if accept(":") {   // relationship
                let type = word()
                var props: [String: CypherValue] = [:]
                if accept("{") { guard let m = mapBody() else { return nil }; props = m }
                guard accept("]") else { return nil }
                return .relationship(CypherEntity(id: -1, labels: [type], properties: props))
            }
            var items: [CypherValue] = []
            if accept("]") { return .list(items) }
            repeat { guard let v = value() else { return nil }; items.append(v) } while accept(",")
            return accept("]") ? .list(items) : nil
        }
        if c == "{" { at += 1; return mapBody().map(CypherValue.map) }
        if c == "(" {
            at += 1
            var labels: [String] = []
            while accept(":") { labels.append(word()) }
            var props: [String: CypherValue] = [:]
            if accept("{") { guard let m = mapBody() else { return nil }; props = m }
            guard accept(")") else { return nil }
            return .node(CypherEntity(id: -1, labels: labels, properties: props))
        }
        if c == "<" { return nil }   // paths: out of scope
        var token = ""
        while at < chars.count, !",]}) \t\n".unicodeScalars.contains(chars[at]) { token.unicodeScalars.append(chars[at]); at += 1 }
        switch token {
        case "null": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "NaN": return .float(.nan)
        case "Inf": return .float(.infinity)
        case "-Inf": return .float(-.infinity)
        default:
            if let i = Int64(token) { return .int(i) }
            if let d = Double(token) { return .float(d) }
            return nil
        }
    }
}
