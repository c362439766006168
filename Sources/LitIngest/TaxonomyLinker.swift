// Linking papers to the taxonomy: the taxonomy's entries become Method/ModelClass/Application/Gap
// nodes with SPECIALISES and CONCERNS edges, and every paper gets its curated links (from the file's
// `papers:` section) and lexicon links (phrases found in its title, abstract, keywords), each edge with
// its evidence. A curated link wins over a lexicon link to the same entry; a curated `not` removes a
// lexicon link. Each run replaces all curated and lexicon links, so links the taxonomy no longer
// supports disappear. One transaction: the taxonomy and its links go in whole or not at all.
import Foundation
import LitModel
import LitStore
import LitTaxonomy

/// What a link run did.
public struct LinkSummary: Sendable, Equatable {
    public var entries = 0
    public var entriesRemoved: [String] = []
    public var papers = 0
    public var curated = 0
    public var lexicon = 0
    /// Lexicon matches dropped by a curated `not`.
    public var vetoed = 0
    /// Links that existed before this run (all are replaced).
    public var replaced = 0

    public init() {}

    /// `42 entries; 190 papers: 310 curated links, 512 lexicon links (3 removed by 'not')`
    public var line: String {
        var text = "\(entries) taxonomy entr\(entries == 1 ? "y" : "ies")"
        if !entriesRemoved.isEmpty { text += " (\(entriesRemoved.count) removed)" }
        text += "; \(papers) paper\(papers == 1 ? "" : "s"): \(curated) curated link\(curated == 1 ? "" : "s"), "
            + "\(lexicon) lexicon link\(lexicon == 1 ? "" : "s")"
        if vetoed > 0 { text += " (\(vetoed) removed by 'not')" }
        return text
    }
}

public enum TaxonomyLinker {
    /// Stores `taxonomy` (read from `path`) and relinks every paper, in one transaction.
    /// Returns the summary and warnings (curated papers not in the graph).
    public static func apply(_ taxonomy: Taxonomy, storedPath: String, sha256: String?, to store: GraphStore,
                             lexicon: Lexicon? = nil) throws -> (LinkSummary, [Diagnostic]) {
        let lexicon = lexicon ?? Lexicon(taxonomy)
        var summary = LinkSummary()
        var diagnostics: [Diagnostic] = []
        try store.writeSession(source: SourceFile(path: storedPath, format: "taxonomy", sha256: sha256)) { writer in
            // Entries.
            var nodes: [String: Int64] = [:]
            for entry in taxonomy.entries {
                var props: [String: JSONValue] = ["id": .string(entry.id), "name": .string(entry.name)]
                if let description = entry.description { props["description"] = .string(description) }
                if !entry.phrases.isEmpty { props["phrases"] = .array(entry.phrases.map(JSONValue.string)) }
                if !entry.models.isEmpty { props["models"] = .array(entry.models.map(JSONValue.string)) }
                nodes[entry.id] = try writer.upsertTaxonomyNode(label: entry.kind.rawValue, id: entry.id, props: props,
                                                                line: entry.span.line).node
            }
            summary.entries = taxonomy.entries.count
            summary.entriesRemoved = try writer.removeTaxonomyNodes(notIn: Set(nodes.keys))

            // Structure.
            try writer.deleteEdges(types: LinkTypes.structural, vias: ["taxonomy"])
            for entry in taxonomy.entries {
                if let parent = entry.parent, let child = nodes[entry.id], let target = nodes[parent] {
                    try writer.addEdge("SPECIALISES", from: child, to: target, via: "taxonomy", line: entry.span.line)
                }
                for concern in entry.concerns {
                    if let gap = nodes[entry.id], let target = nodes[concern] {
                        try writer.addEdge("CONCERNS", from: gap, to: target, via: "taxonomy", line: entry.span.line)
                    }
                }
            }

            // Curated assignments, resolved to papers.
            summary.replaced = try writer.deleteEdges(types: LinkTypes.all, vias: ["curated", "lexicon"])
            var curated: [Int64: [String: (kind: TaxonomyKind, line: Int)]] = [:]
            var vetoes: [Int64: Set<String>] = [:]
            var curatedOrder: [Int64] = []
            for assignment in taxonomy.papers {
                guard let paper = try writer.findPaper(assignment.paper) else {
                    diagnostics.append(.warning("link.unknown-paper",
                                                "curated paper '\(assignment.paper)' is not in the graph; its links are made once it is ingested",
                                                at: assignment.span))
                    continue
                }
                if curated[paper] == nil { curatedOrder.append(paper) }
                for (kind, reference) in assignment.links where curated[paper]?[reference.id] == nil {
                    curated[paper, default: [:]][reference.id] = (kind, reference.span.line)
                }
                vetoes[paper, default: []].formUnion(assignment.not.map(\.id))
                if curated[paper] == nil { curated[paper] = [:] }
            }

            // Lexicon links.
            var linkedPapers = Set<Int64>()
            let entryLines = Dictionary(taxonomy.entries.map { ($0.id, $0.span.line) }, uniquingKeysWith: { a, _ in a })
            var pending: [(paper: Int64, match: LexiconMatch)] = []
            try writer.forEachPaperText { paper in
                let matches = lexicon.firstMatches(title: paper.title, abstract: paper.abstract, keywords: paper.keywords)
                for match in matches {
                    if curated[paper.node]?[match.id] != nil { continue }
                    if vetoes[paper.node]?.contains(match.id) == true {
                        summary.vetoed += 1
                        continue
                    }
                    pending.append((paper.node, match))
                }
            }
            for (paper, match) in pending {
                guard let target = nodes[match.id] else { continue }
                var props: [String: JSONValue] = ["field": .string(match.field.rawValue), "phrase": .string(match.phrase)]
                if let model = match.model { props["model"] = .string(model) }
                try writer.addEdge(match.kind.linkType, from: paper, to: target, props: props, via: "lexicon",
                                   line: entryLines[match.id])
                linkedPapers.insert(paper)
                summary.lexicon += 1
            }
            for paper in curatedOrder {
                for (id, link) in (curated[paper] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    guard let target = nodes[id] else { continue }
                    try writer.addEdge(link.kind.linkType, from: paper, to: target, via: "curated", line: link.line)
                    linkedPapers.insert(paper)
                    summary.curated += 1
                }
            }
            summary.papers = linkedPapers.count
        }
        return (summary, diagnostics)
    }

    /// Loads the taxonomy file at `path` and applies it. Errors in the file leave the graph untouched.
    public static func ingest(path: String, into store: GraphStore) -> (LinkSummary?, [Diagnostic]) {
        let loaded = TaxonomyLoader.load(path: path)
        guard let taxonomy = loaded.taxonomy else { return (nil, loaded.diagnostics) }
        let sha = FileManager.default.contents(atPath: path).map { SHA256.hex(of: $0) }
        do {
            let (summary, warnings) = try apply(taxonomy, storedPath: storedPath(path), sha256: sha, to: store)
            return (summary, loaded.diagnostics + warnings)
        } catch let d as Diagnostic {
            return (nil, loaded.diagnostics + [d])
        } catch {
            return (nil, loaded.diagnostics + [.error("store.write", "cannot store '\(path)': \(error)",
                                                      at: SourceSpan(file: path, line: 1, column: 1))])
        }
    }

    /// Re-reads every taxonomy file the graph was built from and relinks (`litgraph link`).
    public static func relink(store: GraphStore) -> (LinkSummary?, [Diagnostic]) {
        let sources: [String]
        do {
            sources = try store.taxonomySources()
        } catch {
            return (nil, [.error("store.read", "cannot read the database: \(error)")])
        }
        guard !sources.isEmpty else {
            return (nil, [.error("link.no-taxonomy", "the graph has no taxonomy; ingest one first (litgraph ingest Corpus/taxonomy.yaml)")])
        }
        var last: LinkSummary?
        var diagnostics: [Diagnostic] = []
        for path in sources {
            guard FileManager.default.fileExists(atPath: path) else {
                diagnostics.append(.error("link.missing-taxonomy", "the taxonomy file '\(path)' no longer exists; ingest the taxonomy from its new place"))
                continue
            }
            let (summary, found) = ingest(path: path, into: store)
            diagnostics += found
            if let summary { last = summary }
        }
        return (last, diagnostics)
    }

    /// The path recorded on Source nodes and edges: absolute and standardised.
    static func storedPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
