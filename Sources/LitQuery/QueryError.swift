// Errors of the query stages, classified the way openCypher classifies them (type, phase, detail)
// so the TCK can check them, and convertible to a positioned `Diagnostic` for people.
import LitModel

public struct QueryError: Error, Sendable, CustomStringConvertible {
    public enum Phase: String, Sendable { case compileTime = "compile-time", runtime = "runtime" }
    /// `SyntaxError`, `TypeError`, `ArgumentError`, `SemanticError`, … or `Unsupported`.
    public var type: String
    public var phase: Phase
    /// `UndefinedVariable`, `InvalidArgumentType`, …
    public var detail: String
    public var message: String
    public var range: TextRange?
    public var notes: [String] = []

    public init(_ type: String, _ detail: String, _ message: String, at range: TextRange? = nil,
                phase: Phase = .compileTime, notes: [String] = []) {
        self.type = type
        self.detail = detail
        self.message = message
        self.range = range
        self.phase = phase
        self.notes = notes
    }

    static func syntax(_ detail: String, _ message: String, at range: TextRange?) -> QueryError {
        QueryError("SyntaxError", detail, message, at: range)
    }
    static func unsupported(_ feature: String, at range: TextRange?) -> QueryError {
        QueryError("Unsupported", feature, "\(feature) is not supported", at: range)
    }

    public var isUnsupported: Bool { type == "Unsupported" }
    public var description: String { "\(type) (\(detail)): \(message)" }

    /// A diagnostic positioned in `source` (the query text), named `file`.
    public func diagnostic(source: String, file: String = "<query>") -> Diagnostic {
        var span: SourceSpan?
        if let range {
            let (line, column, length) = QueryError.position(of: range, in: source)
            span = SourceSpan(file: file, line: line, column: column, length: length)
        }
        let id = "query." + detail.reduce(into: "") { out, c in
            if c.isUppercase, !out.isEmpty { out += "-" }
            out += c.lowercased()
        }
        return Diagnostic.error(id, message, at: span, notes: notes)
    }

    /// 1-based line and column (in characters) of a UTF-8 range, and its length on that line.
    static func position(of range: TextRange, in source: String) -> (Int, Int, Int) {
        let bytes = Array(source.utf8)
        let start = min(max(0, range.start), bytes.count)
        var line = 1, lineStart = 0
        for i in 0..<start where bytes[i] == 10 { line += 1; lineStart = i + 1 }
        let column = String(decoding: bytes[lineStart..<start], as: UTF8.self).count + 1
        var end = min(max(start, range.end), bytes.count)
        if let nl = bytes[start..<end].firstIndex(of: 10) { end = nl }
        let length = String(decoding: bytes[start..<end], as: UTF8.self).count
        return (line, column, max(1, length))
    }
}
