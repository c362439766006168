// `litgraph explain ID`: every link of one paper to the taxonomy and the evidence for it: curated
// (file and line of the assignment) or lexicon (field and phrase as matched, the entry's line).
import ArgumentParser
import Foundation
import LitModel
import LitStore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each link of a paper to methods, model classes, applications and gaps, and why it exists.",
        discussion: "Example: litgraph explain 2502.17516")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("An arXiv id (any form or version), a DOI or a BibTeX key.", valueName: "id"))
    var id: String

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let links: [LinkView]
        let title: String?
        do {
            let store = try GraphStore(path: database.path)
            guard let node = try store.findPaper(id) else {
                DiagnosticPrinter.printError("error: no paper with id '\(id)' in \(database.path)")
                throw ExitCode(1)
            }
            links = try store.links(ofPaper: node)
            title = try store.paper(node)?.string("title")
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
        switch format {
        case .json: print(Self.json(links), terminator: "")
        case .text: print(Self.text(id: id, title: title, links: links), terminator: "")
        }
    }

    static func evidence(_ link: LinkView) -> String {
        let place = [link.source.map { ($0 as NSString).lastPathComponent }, link.line.map(String.init)]
            .compactMap { $0 }.joined(separator: ":")
        switch link.via {
        case "curated":
            return "curated in \(place)"
        case "lexicon":
            var text = "lexicon: \(link.field ?? "text") contains \"\(link.phrase ?? "")\""
            if let model = link.model { text += " (model \(model))" }
            if !place.isEmpty { text += "; phrase of the entry at \(place)" }
            return text
        default:
            return "\(link.via)\(place.isEmpty ? "" : " in \(place)")"
        }
    }

    static func text(id: String, title: String?, links: [LinkView]) -> String {
        var out = "\(id)\(title.map { ": \($0)" } ?? "")\n"
        if links.isEmpty { return out + "  no links to the taxonomy\n" }
        let width = (links.map { $0.type.count + 1 + $0.id.count }.max() ?? 0) + 2
        for link in links {
            let head = "\(link.type) \(link.id)"
            out += "  " + head + String(repeating: " ", count: max(1, width - head.count)) + evidence(link) + "\n"
        }
        return out
    }

    static func json(_ links: [LinkView]) -> String {
        var items: [JSONValue] = []
        for l in links {
            var o: [String: JSONValue] = ["type": .string(l.type), "label": .string(l.label), "id": .string(l.id),
                                          "name": .string(l.name), "via": .string(l.via)]
            if let v = l.source { o["source"] = .string(v) }
            if let v = l.line { o["line"] = .int(v) }
            if let v = l.field { o["field"] = .string(v) }
            if let v = l.phrase { o["phrase"] = .string(v) }
            if let v = l.model { o["model"] = .string(v) }
            items.append(.object(o))
        }
        return JSONValue.array(items).encoded + "\n"
    }
}
