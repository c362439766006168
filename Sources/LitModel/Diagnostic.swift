// The one error value every stage reports: a severity, a stable id, a message and a span,
// rendered the way compilers print so editors can jump to it.
import Foundation

/// A position range in an input (file, query text). Lines and columns are 1-based.
public struct SourceSpan: Hashable, Sendable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    /// Length in characters on the first line, for the caret underline (at least 1).
    public var length: Int

    public init(file: String, line: Int, column: Int, length: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
        self.length = max(1, length)
    }
}

public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning, note }

    public var severity: Severity
    /// A stable identifier such as `bibtex.unterminated-value` or `query.undefined-variable`.
    public var id: String
    public var message: String
    public var span: SourceSpan?
    public var notes: [String]

    public init(_ severity: Severity = .error, id: String, _ message: String,
                at span: SourceSpan? = nil, notes: [String] = []) {
        self.severity = severity
        self.id = id
        self.message = message
        self.span = span
        self.notes = notes
    }

    public static func error(_ id: String, _ message: String, at span: SourceSpan? = nil,
                             notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, id: id, message, at: span, notes: notes)
    }

    public static func warning(_ id: String, _ message: String, at span: SourceSpan? = nil,
                               notes: [String] = []) -> Diagnostic {
        Diagnostic(.warning, id: id, message, at: span, notes: notes)
    }

    /// `file:line:col: error: message`, without the source excerpt.
    public var description: String {
        var head = ""
        if let span { head = "\(span.file):\(span.line):\(span.column): " }
        var text = "\(head)\(severity.rawValue): \(message)"
        for note in notes { text += "\n  note: \(note)" }
        return text
    }

    /// The compiler-style rendering with the offending source line and a caret under the span.
    ///
    ///     refs.bib:42:11: error: unterminated braced value in field 'title'
    ///        42 |   title = {Attention Is All {You Need,
    ///           |           ^
    public func rendered(source: String?) -> String {
        guard let span, let source, let lineText = Self.line(span.line, of: source) else {
            return description
        }
        var head = "\(span.file):\(span.line):\(span.column): \(severity.rawValue): \(message)"
        let number = String(span.line)
        let gutter = String(repeating: " ", count: number.count)
        let caretColumn = max(1, min(span.column, lineText.count + 1))
        let available = max(1, lineText.count - caretColumn + 1)
        let underline = "^" + String(repeating: "~", count: max(0, min(span.length, available) - 1))
        head += "\n \(number) | \(lineText)"
        head += "\n \(gutter) | \(String(repeating: " ", count: caretColumn - 1))\(underline)"
        for note in notes { head += "\n  note: \(note)" }
        return head
    }

    static func line(_ number: Int, of source: String) -> String? {
        guard number >= 1 else { return nil }
        var current = 1
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == number { return String(line.replacingOccurrences(of: "\r", with: "")
                .replacingOccurrences(of: "\t", with: " ")) }
            current += 1
        }
        return nil
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
