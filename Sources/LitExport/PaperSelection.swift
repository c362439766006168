// Selecting papers for an export: the papers a LaTeX document cites (its .aux file, with old keys
// resolved through the identifiers every BibTeX key seen was recorded under), or the papers a saved
// or inline query returns. Diagrams and the BibTeX export share this one selection step.
import Foundation
import LitModel
import LitQuery
import LitStore

/// The papers an export is restricted to.
public struct PaperSelection: Sendable {
    /// Paper node ids, sorted, without repeats.
    public var papers: [Int64]
    /// How they were chosen, for captions and messages (`cited in paper.aux`).
    public var description: String
    /// Problems worth telling the user that did not stop the selection (unresolved keys).
    public var diagnostics: [Diagnostic]

    public init(papers: [Int64], description: String, diagnostics: [Diagnostic] = []) {
        self.papers = Array(Set(papers)).sorted()
        self.description = description
        self.diagnostics = diagnostics
    }
}

public enum PaperSelector {
    /// The papers cited in a LaTeX `.aux` file (bibtex's `\citation{…}` and biblatex's
    /// `\abx@aux@cite{…}`, following `\@input{…}` of included files). `\citation{*}` selects every
    /// paper. Keys no paper answers to are reported as warnings at their position.
    public static func citedIn(auxFile path: String, store: GraphStore) throws -> PaperSelection {
        var citations: [(key: String, span: SourceSpan)] = []
        var visited = Set<String>()
        try collectCitations(path, into: &citations, visited: &visited)
        return try store.readGraph { reader in
            if citations.contains(where: { $0.key == "*" }) {
                return PaperSelection(papers: try reader.paperHandles().map(\.id), description: "every paper (\\nocite{*} in \(path))")
            }
            var papers: [Int64] = []
            var diagnostics: [Diagnostic] = []
            var seen = Set<String>()
            for (key, span) in citations where seen.insert(key).inserted {
                if let node = try reader.paper(citedAs: key) {
                    papers.append(node)
                } else {
                    diagnostics.append(.warning("export.cite-keys.unresolved", "no paper in the graph answers to the key '\(key)'", at: span))
                }
            }
            return PaperSelection(papers: papers, description: "cited in \(path)", diagnostics: diagnostics)
        }
    }

    static func collectCitations(_ path: String, into citations: inout [(key: String, span: SourceSpan)],
                                 visited: inout Set<String>) throws {
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.path
        guard visited.insert(canonical).inserted else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic.error("export.cite-keys.unreadable", "cannot read the .aux file '\(path)'")
        }
        let text = String(decoding: data, as: UTF8.self)
        let directory = (path as NSString).deletingLastPathComponent
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let chars = Array(line)
            for command in ["\\citation{", "\\abx@aux@cite{", "\\@input{"] {
                var from = 0
                while let start = find(Array(command), in: chars, from: from) {
                    var argStart = start + command.count
                    // biblatex ≥ 3.x writes \abx@aux@cite{refsection}{key}: the key is the last group.
                    var groups: [(Int, String)] = []
                    while argStart <= chars.count, let close = chars[argStart...].firstIndex(of: "}") {
                        groups.append((argStart, String(chars[argStart..<close])))
                        if close + 1 < chars.count, chars[close + 1] == "{", command == "\\abx@aux@cite{" {
                            argStart = close + 2
                        } else {
                            break
                        }
                    }
                    from = start + command.count
                    guard let (column, argument) = groups.last else { continue }
                    if command == "\\@input{" {
                        let included = argument.hasPrefix("/") ? argument : (directory as NSString).appendingPathComponent(argument)
                        if FileManager.default.fileExists(atPath: included) {
                            try collectCitations(included, into: &citations, visited: &visited)
                        }
                        continue
                    }
                    var offset = 0
                    for piece in argument.split(separator: ",", omittingEmptySubsequences: false) {
                        let key = piece.trimmingCharacters(in: .whitespaces)
                        let lead = piece.prefix(while: { $0 == " " }).count
                        if !key.isEmpty {
                            citations.append((key, SourceSpan(file: path, line: index + 1, column: column + offset + lead + 1, length: key.count)))
                        }
                        offset += piece.count + 1
                    }
                }
            }
        }
    }

    static func find(_ needle: [Character], in haystack: [Character], from: Int) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        var i = from
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

extension PaperSelector {
    /// The papers a query returns: every `Paper` node in its rows (in any column, lists included);
    /// for a query that returns no nodes, the papers its `key` or `arxiv` column names. Query errors
    /// are thrown as `QueryError`; a result that names no papers is a diagnostic.
    ///
    ///     try PaperSelector.papers(matching: "MATCH (p:Paper) WHERE p.year >= 2024 RETURN p", on: store)
    public static func papers(matching text: String, parameters: [String: CypherValue] = [:], description: String? = nil,
                              on store: GraphStore) throws -> PaperSelection {
        let result = try QueryEngine.run(text, parameters: parameters, on: store)
        var papers: [Int64] = []
        var sawNode = false
        func collect(_ value: CypherValue) {
            switch value {
            case .node(let entity):
                sawNode = true
                if entity.labels.contains("Paper") { papers.append(entity.id) }
            case .list(let items): items.forEach(collect)
            case .map(let entries): entries.values.forEach(collect)
            default: break
            }
        }
        for row in result.rows { row.forEach(collect) }
        let summary = description ?? squeezedQuery(text)
        if sawNode || result.rows.isEmpty {
            var diagnostics: [Diagnostic] = []
            if papers.isEmpty {
                diagnostics.append(.warning("export.query.empty", "the query selects no paper"))
            }
            return PaperSelection(papers: papers, description: summary, diagnostics: diagnostics)
        }
        guard let column = result.columns.firstIndex(where: { $0 == "key" || $0 == "p.key" })
                ?? result.columns.firstIndex(where: { $0 == "arxiv" || $0 == "p.arxiv" }) else {
            throw Diagnostic.error("export.query.no-papers", "the query returns no Paper nodes: end it with RETURN p (p a :Paper), or return the papers' key",
                                   notes: ["its columns: " + result.columns.joined(separator: ", ")])
        }
        return try store.readGraph { reader in
            for row in result.rows {
                if case .string(let key) = row[column], let node = try reader.paper(citedAs: key) { papers.append(node) }
            }
            return PaperSelection(papers: papers, description: summary)
        }
    }

    /// A query on one line, shortened for a caption.
    static func squeezedQuery(_ text: String) -> String {
        let line = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .joined(separator: " ").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }
}
