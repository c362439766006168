// Linking papers to the taxonomy: the taxonomy's entries become Method/ModelClass/Application/Gap
// nodes with SPECIALISES and CONCERNS edges, and every paper gets its curated links (from the file's
// `papers:` section) and lexicon links (phrases found in its title, abstract, keywords), each edge with
// its evidence. A curated link wins over a lexicon link to the same entry; a curated `not` removes a
// lexicon link. Each run compares every paper's wanted links with its stored ones and writes only the
// difference, so links the taxonomy no longer supports disappear and unchanged ones stay as they are.
// The matching runs on a thread of its own, from the graph as last committed, and hands the
// differences over in chunks that the session writes as they come. One transaction: the taxonomy
// and its links go in whole or not at all.
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
    /// Links written by this run (new or changed).
    public var added = 0
    /// Stored links this run deleted (no longer supported, or changed).
    public var removed = 0

    public init() {}

    /// `42 entries; 190 papers: 310 curated links, 512 lexicon links (3 removed by 'not'); 12 written, 4 deleted`
    public var line: String {
        var text = "\(entries) taxonomy entr\(entries == 1 ? "y" : "ies")"
        if !entriesRemoved.isEmpty { text += " (\(entriesRemoved.count) removed)" }
        text += "; \(papers) paper\(papers == 1 ? "" : "s"): \(curated) curated link\(curated == 1 ? "" : "s"), "
            + "\(lexicon) lexicon link\(lexicon == 1 ? "" : "s")"
        if vetoed > 0 { text += " (\(vetoed) removed by 'not')" }
        text += "; \(added) written, \(removed) deleted"
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
            let removedEntries = try writer.removeTaxonomyNodes(notIn: Set(nodes.keys))
            summary.entriesRemoved = removedEntries.map(\.id)

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
            func curatedLinks(of paper: Int64) -> [NewEdge] {
                (curated[paper] ?? [:]).sorted(by: { $0.key < $1.key }).compactMap { id, link in
                    nodes[id].map { NewEdge(type: link.kind.linkType, src: paper, dst: $0,
                                            props: writer.edgePropsText([:], via: "curated", line: link.line)) }
                }
            }
            // A lexicon link's properties end the same for every link to an entry: made once per entry.
            // Written as `addEdge` writes them (keys in order, then line, source, via).
            let entryLines = Dictionary(taxonomy.entries.map { ($0.id, $0.span.line) }, uniquingKeysWith: { a, _ in a })
            func lexiconEnd(_ id: String) -> [UInt8] {
                let whole = writer.edgePropsText(["phrase": ""], via: "lexicon", line: entryLines[id])
                return Array(whole.utf8.dropFirst(#"{"phrase":"""#.utf8.count))
            }
            let plan = LinkPlan(
                lexicon: lexicon,
                entryIDs: taxonomy.entries.map(\.id),
                byTarget: taxonomy.entries.map { entry in nodes[entry.id].map { LinkPlan.Target(node: $0, end: lexiconEnd(entry.id)) } },
                byID: Dictionary(uniqueKeysWithValues: nodes.map { ($0.key, LinkPlan.Target(node: $0.value, end: lexiconEnd($0.key))) }),
                curated: Dictionary(uniqueKeysWithValues: curatedOrder.map { paper in
                    (paper, LinkPlan.Curated(ids: Set((curated[paper] ?? [:]).keys), edges: curatedLinks(of: paper)))
                }),
                curatedOrder: curatedOrder,
                vetoes: vetoes,
                removedNodes: Set(removedEntries.map(\.node)))

            // The links are worked out on a thread of their own, from the database as committed before
            // this session (paper texts and stored links; the taxonomy nodes removed above are taken
            // as gone), and handed over in chunks, each written here as it comes: matching and
            // writing take turns on the two cores instead of one after the other.
            let pipe = BatchPipe<LinkChunk>(capacity: 4)
            let outcome = LinkOutcome()
            let job = BackgroundJob { [plan] in
                do {
                    outcome.summary = try store.readCommitted { reader in try plan.chunks(from: reader, into: pipe) }
                } catch is BatchPipe<LinkChunk>.Cancelled {
                } catch {
                    outcome.error = error
                }
                pipe.close()
            }
            do {
                while let chunks = pipe.take() {
                    for chunk in chunks {
                        try writer.deleteEdges(ids: chunk.deletions)
                        try writer.insertEdges(chunk.inserts)
                        summary.added += chunk.inserts.count
                        summary.removed += chunk.deletions.count
                    }
                }
            } catch {
                pipe.cancel()
                job.wait()
                throw error
            }
            job.wait()
            if let error = outcome.error { throw error }
            summary.papers = outcome.summary.papers
            summary.curated = outcome.summary.curated
            summary.lexicon = outcome.summary.lexicon
            summary.vetoed = outcome.summary.vetoed
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

/// What the linking thread hands to the writing one: stored links to delete and links to insert, for
/// a run of papers in node order.
struct LinkChunk: Sendable {
    var deletions: [Int64] = []
    var inserts = EdgeBatch()
}

/// What the linking thread reports back when it is done.
final class LinkOutcome: @unchecked Sendable {
    var summary = LinkSummary()
    var error: (any Error)?
}

/// Everything the linking thread needs to work out every paper's links, fixed before it starts.
struct LinkPlan: Sendable {
    /// A taxonomy node a lexicon link points to, with the end of the link's property text.
    struct Target: Sendable {
        var node: Int64
        var end: [UInt8]
    }

    let lexicon: Lexicon
    /// The taxonomy's entry ids by index, and their targets (nil for an entry without a node).
    let entryIDs: [String]
    let byTarget: [Target?]
    /// Every taxonomy node by id (for a lexicon compiled from another taxonomy).
    let byID: [String: Target]
    /// A paper's curated entries (by id) and the links they make.
    struct Curated: Sendable {
        var ids: Set<String>
        var edges: [NewEdge]
    }

    /// Curated links by paper, and the papers in the order the taxonomy names them.
    let curated: [Int64: Curated]
    let curatedOrder: [Int64]
    let vetoes: [Int64: Set<String>]
    /// Taxonomy nodes this session deleted with their edges: stored links to them are gone already.
    let removedNodes: Set<Int64>

    /// Papers per chunk handed over.
    static let papersPerChunk = 2_000

    /// The node and property ending of a matched entry (by its index when the lexicon was compiled
    /// from this taxonomy).
    func target(_ hit: Lexicon.Hit) -> Target? {
        if hit.target < entryIDs.count, entryIDs[hit.target] == hit.id { return byTarget[hit.target] }
        return byID[hit.id]
    }

    /// Every paper's wanted links (lexicon matches less curated ones and vetoes, then curated ones),
    /// compared with its stored links: the paper texts and the stored links are read in one scan each,
    /// both in paper order, and only the differences go into the chunks put into `pipe`. Lexicon links
    /// come in paper order, the curated ones last. Returns the counts.
    func chunks(from reader: LinkReader, into pipe: BatchPipe<LinkChunk>) throws -> LinkSummary {
        var summary = LinkSummary()
        let vias = ["curated", "lexicon"]
        let stored = try reader.hasEdges(types: LinkTypes.all, vias: vias) ? try reader.edgeCursor(types: LinkTypes.all, vias: vias) : nil
        /// The next stored link not to a removed node.
        func nextStoredLink() throws -> StoredLink? {
            while let edge = try stored?.next() {
                if !removedNodes.contains(edge.dst) { return edge }
            }
            return nil
        }
        var nextStored = try nextStoredLink()
        var chunk = LinkChunk()
        var papersInChunk = 0
        var matching = Lexicon.MatchState()
        var curatedInserts: [Int64: [NewEdge]] = [:]
        var seenCurated = Set<Int64>()
        /// The stored links of `paper`; those of nodes before it (no longer papers) are deleted.
        func storedLinks(of paper: Int64) throws -> [StoredLink] {
            var out: [StoredLink] = []
            while let edge = nextStored, edge.src <= paper {
                if edge.src < paper { chunk.deletions.append(edge.id) } else { out.append(edge) }
                nextStored = try nextStoredLink()
            }
            return out
        }
        /// Keeps the stored link equal to the lexicon link being made; true when kept.
        func keep(type: String, dst: Int64, props: ArraySlice<UInt8>, in existing: inout [StoredLink]) -> Bool {
            guard !existing.isEmpty, let k = existing.firstIndex(where: { link in
                guard link.type == type && link.dst == dst && link.props.utf8.count == props.count else { return false }
                var text = link.props
                return text.withUTF8 { stored in props.withUnsafeBufferPointer { memcmp(stored.baseAddress!, $0.baseAddress!, props.count) == 0 } }
            }) else { return false }
            existing.remove(at: k)
            return true
        }
        /// Keeps the stored link equal to `edge`; true when kept.
        func keep(_ edge: NewEdge, in existing: inout [StoredLink]) -> Bool {
            guard let k = existing.firstIndex(where: { $0.type == edge.type && $0.dst == edge.dst && $0.props == edge.props }) else {
                return false
            }
            existing.remove(at: k)
            return true
        }
        try reader.forEachPaperText { paper in
            var existing = try storedLinks(of: paper.node)
            let curatedHere = curated[paper.node]
            let vetoed = vetoes[paper.node]
            var linked = false
            lexicon.forEachFirstMatch(title: paper.title, abstract: paper.abstract, keywords: paper.keywords,
                                      state: &matching) { hit, field, phrase in
                if curatedHere?.ids.contains(hit.id) == true { return }
                if vetoed?.contains(hit.id) == true {
                    summary.vetoed += 1
                    return
                }
                guard let entry = target(hit) else { return }
                // The evidence written as bytes straight into the chunk.
                chunk.inserts.writeProps { props in
                    props.append(contentsOf: #"{"field":""#.utf8)
                    props.append(contentsOf: field.rawValue.utf8)
                    props.append(contentsOf: #"","#.utf8)
                    if let model = hit.model {
                        props.append(contentsOf: #""model":"#.utf8)
                        JSONValue.appendQuoted(model, to: &props)
                        props.append(UInt8(ascii: ","))
                    }
                    props.append(contentsOf: #""phrase":"#.utf8)
                    JSONValue.appendQuoted(utf8: phrase, to: &props)
                    props.append(contentsOf: entry.end)
                }
                let type = hit.kind.linkType
                if keep(type: type, dst: entry.node, props: chunk.inserts.pendingProps, in: &existing) {
                    chunk.inserts.discardProps()
                } else {
                    chunk.inserts.addEdge(type: type, src: paper.node, dst: entry.node)
                }
                summary.lexicon += 1
                linked = true
            }
            if let curatedHere {
                seenCurated.insert(paper.node)
                for edge in curatedHere.edges {
                    if !keep(edge, in: &existing) { curatedInserts[paper.node, default: []].append(edge) }
                    summary.curated += 1
                    linked = true
                }
            }
            chunk.deletions += existing.map(\.id)
            if linked { summary.papers += 1 }
            papersInChunk += 1
            if papersInChunk == Self.papersPerChunk {
                try pipe.put([chunk])
                chunk = LinkChunk()
                papersInChunk = 0
            }
        }
        while let edge = nextStored {
            chunk.deletions.append(edge.id)
            nextStored = try nextStoredLink()
        }
        // A curated identifier naming a node without the Paper label still gets its links.
        for paper in curatedOrder where !seenCurated.contains(paper) {
            let edges = curated[paper]?.edges ?? []
            curatedInserts[paper] = edges
            summary.curated += edges.count
            if !edges.isEmpty { summary.papers += 1 }
        }
        for paper in curatedOrder { for edge in curatedInserts[paper] ?? [] { chunk.inserts.append(edge) } }
        try pipe.put([chunk])
        return summary
    }
}
