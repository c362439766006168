// Diagrams of the graph as Graphviz DOT: four views (taxonomy, citations, neighbourhood, matrix)
// built from one snapshot of the store into a `DOTGraph`, which `DOTWriter` serialises. Every
// choice (order, colour, cluster, what a limit keeps) is a pure function of the graph, so the same
// graph always gives the same diagram; a limit always says what it left out.
import Foundation
import LitModel
import LitStore

/// The diagrams `litgraph export dot` draws.
public enum DiagramView: String, CaseIterable, Sendable {
    /// Methods (with their hierarchy), model classes and applications, edges weighted by paper counts.
    case taxonomy
    /// Citations among the selected papers, ranked by year, outlined by model class, coloured by method.
    case citations
    /// A paper's citing and cited papers to a depth.
    case neighbourhood
    /// The method × model-class matrix as a heat map; empty cells are gaps.
    case matrix

    /// How many items a view keeps when no limit is given: papers, weighted edges or matrix rows.
    /// Chosen so that the picture stays legible on a slide or a page.
    public var defaultLimit: Int {
        switch self {
        case .taxonomy: return 40
        case .citations, .neighbourhood: return 150
        case .matrix: return 60
        }
    }
}

/// What to draw.
public struct DiagramRequest: Sendable {
    public var view: DiagramView
    /// The selected papers (every paper when nil); counts and citations are restricted to them.
    public var papers: [Int64]?
    /// How the selection was made, for the diagram's caption (e.g. the query).
    public var selectionNote: String?
    /// The paper at the centre of a neighbourhood: an arXiv id, DOI or BibTeX key.
    public var around: String?
    /// Neighbourhood depth in citation hops (each direction).
    public var depth: Int
    /// The view's limit; nil for its default.
    public var limit: Int?

    public init(view: DiagramView, papers: [Int64]? = nil, selectionNote: String? = nil,
                around: String? = nil, depth: Int = 1, limit: Int? = nil) {
        self.view = view
        self.papers = papers
        self.selectionNote = selectionNote
        self.around = around
        self.depth = depth
        self.limit = limit
    }

    var effectiveLimit: Int { max(1, limit ?? view.defaultLimit) }
}

/// Builds diagrams from the store.
public enum Diagram {
    /// Reads what `request` needs from `store` and returns the diagram.
    public static func build(_ request: DiagramRequest, from store: GraphStore) throws -> DOTGraph {
        if request.view == .neighbourhood {
            guard let around = request.around, !around.isEmpty else {
                throw Diagnostic.error("export.dot.around", "the neighbourhood view needs --around ID (an arXiv id, DOI or BibTeX key)")
            }
            guard request.depth >= 1 else {
                throw Diagnostic.error("export.dot.depth", "--depth must be at least 1, not \(request.depth)")
            }
            _ = around
        }
        return try store.readGraph { reader in
            switch request.view {
            case .taxonomy: return try taxonomy(request, reader)
            case .citations: return try citations(request, reader)
            case .neighbourhood: return try neighbourhood(request, reader)
            case .matrix: return try matrix(request, reader)
            }
        }
    }

    /// Colours for the most frequent methods (distinguishable, readable with black or white text).
    static let palette = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                          "#CC79A7", "#999933", "#882255", "#44AA99", "#AA4499", "#DDCC77"]

    /// Black text on light fills, white on dark ones.
    static func textColour(onFill hex: String) -> String {
        let digits = Array(hex.dropFirst())
        guard digits.count == 6, let r = Int(String(digits[0...1]), radix: 16),
              let g = Int(String(digits[2...3]), radix: 16), let b = Int(String(digits[4...5]), radix: 16) else { return "#000000" }
        let luminance = 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)
        return luminance < 128 ? "#FFFFFF" : "#000000"
    }

    /// Counts as English: `1 paper`, `2 papers`, `2 model classes`.
    static func count(_ n: Int, _ noun: String) -> String {
        if n == 1 { return "1 \(noun)" }
        return "\(grouped(n)) \(noun)\(noun.hasSuffix("s") ? "es" : "s")"
    }

    /// `12345` → `12,345`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Collapses runs of white space into one space.
    static func squeezed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Words of `text` wrapped into at most `lines` lines of about `width` characters, with `…` when cut.
    static func wrapped(_ text: String, width: Int, lines maxLines: Int) -> String {
        var lines: [String] = []
        var current = ""
        var cut = false
        for word in squeezed(text).split(separator: " ") {
            let w = String(word)
            if current.isEmpty {
                current = w
            } else if current.count + 1 + w.count <= width {
                current += " " + w
            } else {
                lines.append(current)
                current = w
                if lines.count == maxLines { cut = true; current = ""; break }
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines { lines = Array(lines.prefix(maxLines)); cut = true }
        for i in lines.indices where lines[i].count > width + 8 {
            lines[i] = String(lines[i].prefix(width + 7))
            if i == lines.count - 1 { cut = true }
        }
        if cut, !lines.isEmpty { lines[lines.count - 1] += "…" }
        return lines.joined(separator: "\n")
    }

    /// The graph-wide attributes every view shares.
    static func baseGraph(name: String, caption: String) -> DOTGraph {
        var graph = DOTGraph(name: name)
        graph.graphAttributes = [
            "label": .text(caption), "labelloc": .text("t"), "labeljust": .text("l"),
            "fontname": .text("Helvetica"), "fontsize": .text("16"),
        ]
        graph.nodeDefaults = ["fontname": .text("Helvetica"), "fontsize": .text("10")]
        graph.edgeDefaults = ["fontname": .text("Helvetica"), "fontsize": .text("9")]
        return graph
    }

    /// Papers linked to taxonomy nodes of one edge type: paper → sorted target nodes.
    /// With `papers`, only the links of those papers are read.
    static func links(_ reader: GraphReader, type: String, of papers: [Int64]? = nil) throws -> [Int64: [Int64]] {
        var map: [Int64: [Int64]] = [:]
        let edges = try papers.map { try reader.edges(type: type, touching: $0, outgoing: true) } ?? reader.edges(type: type)
        for edge in edges { map[edge.source, default: []].append(edge.target) }
        for key in map.keys { map[key] = Array(Set(map[key]!)).sorted() }
        return map
    }
}
