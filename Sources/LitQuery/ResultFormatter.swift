// Query results as text: an aligned table for a terminal, JSON, CSV and TSV for pipes, and the
// TCK wire format (§4.1 of the TCK README) for the conformance runner.
import Foundation

public enum ResultFormat: String, CaseIterable, Sendable {
    case table, json, csv, tsv, tck
}

public enum ResultFormatter {
    public static func format(_ result: QueryResult, as format: ResultFormat) -> String {
        switch format {
        case .table: return table(result)
        case .json: return json(result)
        case .csv: return csv(result)
        case .tsv: return tsv(result)
        case .tck: return tck(result)
        }
    }

    /// A value for people: strings bare, everything else in Cypher notation.
    public static func display(_ v: CypherValue) -> String {
        if case .string(let s) = v { return s }
        return v.tckText
    }

    /// White space as a regular expression's `\s` means it: `[\t\n\f\r\p{Z}]`.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return c == "\t" || c == "\n" || c == "\u{0C}" || c == "\r"
        }
    }

    static func table(_ r: QueryResult) -> String {
        if r.columns.isEmpty { return "" }
        let limit = 80
        func cell(_ v: CypherValue) -> String {
            var s = display(v)
            if s.utf8.contains(0x0A) { s = s.replacingOccurrences(of: "\n", with: " ") }
            return s.count > limit ? String(s.prefix(limit - 1)) + "…" : s
        }
        let cells = r.rows.map { $0.map(cell) }
        var widths = r.columns.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ values: [String]) -> String {
            // Trailing white space (tabs, line breaks, form feeds and Unicode separators) left out.
            var text = zip(values, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: " | ")
            while let last = text.unicodeScalars.last, isSpace(last) { text.unicodeScalars.removeLast() }
            return text
        }
        var out = line(r.columns) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
        for row in cells { out += line(row) + "\n" }
        out += "(\(r.rows.count) row\(r.rows.count == 1 ? "" : "s"))\n"
        return out
    }

    /// JSON value: nodes as {id, labels, properties}, relationships as {id, type, properties}.
    public static func jsonValue(_ v: CypherValue) -> String {
        var out = ""
        appendJSON(v, to: &out)
        return out
    }

    /// Appends `v` as `jsonValue` writes it.
    static func appendJSON(_ v: CypherValue, to out: inout String) {
        switch v {
        case .float(let f) where !f.isFinite: out += "null"
        case .string(let s): CypherValue.appendJSONQuoted(s, to: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                appendJSON(item, to: &out)
            }
            out += "]"
        case .map(let m): appendJSON(m, to: &out)
        case .node(let e):
            out += "{\"id\": \(e.id), \"labels\": ["
            for (i, label) in e.labels.enumerated() {
                if i > 0 { out += ", " }
                CypherValue.appendJSONQuoted(label, to: &out)
            }
            out += "], \"properties\": "
            appendJSON(e.properties, to: &out)
            out += "}"
        case .relationship(let e):
            out += "{\"id\": \(e.id), \"type\": "
            CypherValue.appendJSONQuoted(e.labels.first ?? "", to: &out)
            out += ", \"properties\": "
            appendJSON(e.properties, to: &out)
            out += "}"
        default: out += v.jsonText
        }
    }

    static func appendJSON(_ m: [String: CypherValue], to out: inout String) {
        out += "{"
        for (i, key) in m.keys.sorted().enumerated() {
            if i > 0 { out += ", " }
            CypherValue.appendJSONQuoted(key, to: &out)
            out += ": "
            appendJSON(m[key]!, to: &out)
        }
        out += "}"
    }

    static func json(_ r: QueryResult) -> String {
        if r.rows.isEmpty { return "[]\n" }
        let names = r.columns.map(CypherValue.jsonQuote)
        var out = "[\n"
        for (n, row) in r.rows.enumerated() {
            out += n == 0 ? "  {" : ",\n  {"
            for (i, value) in row.enumerated() where i < names.count {
                if i > 0 { out += ", " }
                out += names[i]
                out += ": "
                appendJSON(value, to: &out)
            }
            out += "}"
        }
        return out + "\n]\n"
    }

    static func csv(_ r: QueryResult) -> String {
        // Appends `s`, quoted when it holds a comma, a quote or a line break.
        func field(_ s: String, _ out: inout String) {
            guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
                out += s
                return
            }
            out += "\""
            let scalars = s.unicodeScalars
            var start = scalars.startIndex
            for i in scalars.indices where scalars[i] == "\"" {
                out.unicodeScalars.append(contentsOf: scalars[start..<i])
                out += "\"\""
                start = scalars.index(after: i)
            }
            out.unicodeScalars.append(contentsOf: scalars[start...])
            out += "\""
        }
        return delimited(r, separator: ",", lineEnd: "\r\n", field: field)
    }

    /// The header and one line per row, each value written by `field`: nothing for null, a string
    /// as it is, anything else as its JSON text.
    static func delimited(_ r: QueryResult, separator: String, lineEnd: String,
                          field: (String, inout String) -> Void) -> String {
        var out = ""
        for (i, c) in r.columns.enumerated() {
            if i > 0 { out += separator }
            field(c, &out)
        }
        out += lineEnd
        var text = ""
        for row in r.rows {
            for (i, v) in row.enumerated() {
                if i > 0 { out += separator }
                switch v {
                case .null: break
                case .string(let s): field(s, &out)
                default:
                    text.removeAll(keepingCapacity: true)
                    appendJSON(v, to: &text)
                    field(text, &out)
                }
            }
            out += lineEnd
        }
        return out
    }

    /// Appends `s` with backslashes, tabs and line breaks written as `\\`, `\t`, `\n`, `\r`.
    static func appendEscapingTabs(_ s: String, to out: inout String) {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            out += s
            return
        }
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
    }

    static func tsv(_ r: QueryResult) -> String {
        delimited(r, separator: "\t", lineEnd: "\n") { appendEscapingTabs($0, to: &$1) }
    }

    /// TCK wire format: header line, then one line per row of TCK values; tabs and newlines
    /// inside values written as `\t` and `\n`. Nothing at all when the query returns nothing.
    static func tck(_ r: QueryResult) -> String {
        if r.columns.isEmpty { return "" }
        func wire(_ s: String) -> String {
            s.replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n")
        }
        var out = r.columns.map(wire).joined(separator: "\t") + "\n"
        for row in r.rows { out += row.map { wire($0.tckText) }.joined(separator: "\t") + "\n" }
        return out
    }

    /// The TCK error line for a failed query.
    public static func tckError(_ e: QueryError) -> String {
        if e.isUnsupported { return "UNSUPPORTED \(e.detail)" }
        return "ERROR \(e.type) \(e.phase.rawValue) \(e.detail)"
    }

    /// Parameters from a file: a JSON object, or TCK lines `name<TAB>value`.
    public static func parameters(fromFile text: String) -> Result<[String: CypherValue], QueryError> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            guard case .map(let m) = CypherValue.parseJSON(trimmed) else {
                return .failure(QueryError("ArgumentError", "InvalidParameterFile", "the parameter file is not a JSON object"))
            }
            return .success(m)
        }
        var out: [String: CypherValue] = [:]
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2, let v = CypherValue.parseTCK(parts[1].replacingOccurrences(of: "\\t", with: "\t").replacingOccurrences(of: "\\n", with: "\n")) else {
                return .failure(QueryError("ArgumentError", "InvalidParameterFile", "line \(n + 1): expected name<TAB>value"))
            }
            out[parts[0]] = v
        }
        return .success(out)
    }

    /// A `--param name=value` value: JSON when it parses as JSON, else the text as a string. A bare
    /// number must be written as JSON writes numbers (no leading zeros, no `+`), and text shaped like
    /// a new-style arXiv identifier (four digits, a dot, four or five digits) is a string, because
    /// that is what a user means by it; `"…"` makes any value a string.
    ///
    ///     parameterValue("2")           // .int(2)
    ///     parameterValue("0.5")         // .float(0.5)
    ///     parameterValue("2502.17516")  // .string("2502.17516"), an arXiv id
    ///     parameterValue("007")         // .string("007")
    public static func parameterValue(_ text: String) -> CypherValue {
        let bytes = Array(text.utf8)
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || (first >= 48 && first <= 57) {
            if isArxivShaped(bytes) || !isJSONNumber(bytes) { return .string(text) }
        }
        var reader = JSONReader(bytes: bytes)
        if let v = reader.value() {
            reader.skip()
            if reader.at == reader.bytes.count { return v }
        }
        return .string(text)
    }

    /// `NNNN.NNNN` or `NNNN.NNNNN`: a new-style arXiv identifier without version.
    static func isArxivShaped(_ b: [UInt8]) -> Bool {
        func digits(_ r: Range<Int>) -> Bool { r.allSatisfy { b[$0] >= 48 && b[$0] <= 57 } }
        return (b.count == 9 || b.count == 10) && b[4] == UInt8(ascii: ".") && digits(0..<4) && digits(5..<b.count)
    }

    /// Whether the text is exactly one number in JSON's grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isJSONNumber(_ b: [UInt8]) -> Bool {
        var i = 0
        func isDigit(_ i: Int) -> Bool { i < b.count && b[i] >= 48 && b[i] <= 57 }
        func digitRun() -> Bool {
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
            return true
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: "0") { i += 1 } else if !digitRun() { return false }
        if i < b.count, b[i] == UInt8(ascii: ".") { i += 1; guard digitRun() else { return false } }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digitRun() else { return false }
        }
        return i == b.count
    }
}
