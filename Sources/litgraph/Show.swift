// `litgraph show ID`: one paper by arXiv id (any version, either style), DOI or BibTeX key, with all
// its fields, authors in order, categories and the sources that stated it.
import ArgumentParser
import Foundation
import LitModel
import LitStore

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one paper by arXiv id, DOI or BibTeX key.",
        discussion: "Examples: litgraph show 2502.17516v2, litgraph show hep-th/9901001, litgraph show 10.1000/xyz")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("An arXiv id (any form or version), a DOI or a BibTeX key.", valueName: "id"))
    var id: String

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let view: PaperView
        do {
            let store = try GraphStore(path: database.path)
            guard let node = try store.findPaper(id), let found = try store.paper(node) else {
                DiagnosticPrinter.printError("error: no paper with id '\(id)' in \(database.path)")
                throw ExitCode(1)
            }
            view = found
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
        switch format {
        case .json: print(Self.json(view))
        case .text: print(Self.text(view), terminator: "")
        }
    }

    /// The fields `show` prints, in order, with their values.
    static func fields(_ v: PaperView) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        func put(_ key: String, _ value: JSONValue?) { out.append((key, value ?? .null)) }
        put("arxiv", v.props["arxiv"])
        put("version", v.props["version"])
        put("versions", v.props["versions"])
        put("doi", v.props["doi"])
        put("key", v.props["key"])
        put("title", v.props["title"])
        put("authors", .array(v.authors.map { .string($0.name) }))
        put("affiliations", .array(v.authors.map { .array($0.affiliations.map(JSONValue.string)) }))
        put("year", v.props["year"])
        put("month", v.props["month"])
        put("published", v.props["published"])
        put("updated", v.props["updated"])
        put("primary_category", v.primaryCategory.map(JSONValue.string))
        put("categories", .array(v.categories.map(JSONValue.string)))
        put("journal_ref", v.props["journal_ref"])
        put("comment", v.props["comment"])
        put("venue", v.props["venue"])
        put("entry_type", v.props["entry_type"])
        put("bibkeys", v.props["bibkeys"])
        put("abstract", v.props["abstract"])
        put("sources", .array(v.sources.map { s in
            var o: [String: JSONValue] = ["path": .string(s.path), "format": .string(s.format)]
            if let line = s.line { o["line"] = .int(line) }
            return .object(o)
        }))
        return out
    }

    static func json(_ v: PaperView) -> String {
        var text = "{\n"
        let fields = fields(v)
        for (i, (key, value)) in fields.enumerated() {
            text += "  "
            JSONValue.appendQuoted(key, to: &text)
            text += ": "
            value.encode(into: &text)
            text += i < fields.count - 1 ? ",\n" : "\n"
        }
        return text + "}"
    }

    static func text(_ v: PaperView) -> String {
        var text = ""
        func line(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            text += label.padding(toLength: 18, withPad: " ", startingAt: 0) + value + "\n"
        }
        let arxiv = v.string("arxiv").map { base in v.int("version").map { "\(base)v\($0)" } ?? base }
        line("arXiv", arxiv)
        if let versions = v.props["versions"]?.arrayValue, versions.count > 1 {
            line("versions", versions.compactMap(\.intValue).map { "v\($0)" }.joined(separator: ", "))
        }
        line("DOI", v.string("doi"))
        line("key", v.string("key"))
        line("title", v.string("title"))
        for a in v.authors {
            let aff = a.affiliations.isEmpty ? "" : " (" + a.affiliations.joined(separator: "; ") + ")"
            line(a.position == 1 ? "authors" : "", "\(a.position). \(a.name)\(aff)")
        }
        line("year", v.int("year").map(String.init))
        line("published", v.string("published"))
        line("updated", v.string("updated"))
        line("primary category", v.primaryCategory)
        line("categories", v.categories.joined(separator: ", "))
        line("journal ref", v.string("journal_ref"))
        line("comment", v.string("comment"))
        line("venue", v.string("venue"))
        for (i, s) in v.sources.enumerated() {
            line(i == 0 ? "sources" : "", s.path + (s.line.map { ":\($0)" } ?? "") + " (\(s.format))")
        }
        if let abstract = v.string("abstract") { text += "\n" + wrap(abstract, width: 78) + "\n" }
        return text
    }

    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n")
    }
}
