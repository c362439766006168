// Linking papers to the taxonomy: the taxonomy's entries become Method/ModelClass/Application/Gap
// nodes with SPECIALISES and CONCERNS edges, and every paper gets its curated links (from the file's
// `papers:` section) and lexicon links (phrases found in its title, abstract, keywords), each edge with
// its evidence. A curated link wins over a lexicon link to the same entry; a curated `not` removes a
// lexicon link. Each run compares every paper's wanted links with its stored ones and writes only the
// difference, so links the taxonomy no longer supports disappear and unchanged ones stay as they are.
// One transaction: the taxonomy and its links go in whole or not at all.
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

            // Every paper's wanted links (lexicon matches less curated ones and vetoes, then curated
            // ones), compared with its stored links: the paper texts and the stored links are read in
            // one scan each, both in paper order, and only the differences are written.
            // A lexicon link's properties end the same for every link to an entry: made once per entry.
            // Written as `addEdge` writes them (keys in order, then line, source, via).
            let entryLines = Dictionary(taxonomy.entries.map { ($0.id, $0.span.line) }, uniquingKeysWith: { a, _ in a })
            func lexiconSuffix(_ id: String) -> [UInt8] {
                let whole = writer.edgePropsText(["phrase": ""], via: "lexicon", line: entryLines[id])
                return Array(whole.utf8.dropFirst(#"{"phrase":"""#.utf8.count))
            }
            let byTarget: [(node: Int64, suffix: [UInt8])?] = taxonomy.entries.map { entry in
                nodes[entry.id].map { ($0, lexiconSuffix(entry.id)) }
            }
            let entryIDs = taxonomy.entries.map(\.id)
            var byID: [String: (node: Int64, suffix: [UInt8])] = [:]
            /// The node and property ending of a matched entry (by its index when the lexicon was
            /// compiled from this taxonomy).
            func lexiconEntry(_ hit: Lexicon.Hit) -> (node: Int64, suffix: [UInt8])? {
                if hit.target < entryIDs.count, entryIDs[hit.target] == hit.id { return byTarget[hit.target] }
                if let known = byID[hit.id] { return known }
                guard let node = nodes[hit.id] else { return nil }
                byID[hit.id] = (node, lexiconSuffix(hit.id))
                return byID[hit.id]
            }
            let vias = ["curated", "lexicon"]
            let stored = try writer.hasEdges(types: LinkTypes.all, vias: vias) ? try writer.edgeCursor(types: LinkTypes.all, vias: vias) : nil
            var nextStored = try stored?.next()
            var deletions: [Int64] = []
            var lexiconInserts = EdgeBatch()
            var matching = Lexicon.MatchState()
            var curatedInserts: [Int64: [NewEdge]] = [:]
            var seenCurated = Set<Int64>()
            /// The stored links of `paper`; those of nodes before it (no longer papers) are deleted.
            func storedLinks(of paper: Int64) throws -> [StoredLink] {
                var out: [StoredLink] = []
                while let edge = nextStored, edge.src <= paper {
                    if edge.src < paper { deletions.append(edge.id) } else { out.append(edge) }
                    nextStored = try stored?.next()
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
            /// Keeps the stored link equal to `edge`, or queues `edge` for insertion; true when kept.
            func keep(_ edge: NewEdge, in existing: inout [StoredLink]) -> Bool {
                guard let k = existing.firstIndex(where: { $0.type == edge.type && $0.dst == edge.dst && $0.props == edge.props }) else {
                    return false
                }
                existing.remove(at: k)
                return true
            }
            try writer.forEachPaperText { paper in
                var existing = try storedLinks(of: paper.node)
                let curatedHere = curated[paper.node]
                let vetoed = vetoes[paper.node]
                var linked = false
                lexicon.forEachFirstMatch(title: paper.title, abstract: paper.abstract, keywords: paper.keywords,
                                          state: &matching) { hit, field, phrase in
                    if curatedHere?[hit.id] != nil { return }
                    if vetoed?.contains(hit.id) == true {
                        summary.vetoed += 1
                        return
                    }
                    guard let entry = lexiconEntry(hit) else { return }
                    // The evidence written as bytes straight into the batch.
                    lexiconInserts.writeProps { props in
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
                        props.append(contentsOf: entry.suffix)
                    }
                    let type = hit.kind.linkType
                    if keep(type: type, dst: entry.node, props: lexiconInserts.pendingProps, in: &existing) {
                        lexiconInserts.discardProps()
                    } else {
                        lexiconInserts.addEdge(type: type, src: paper.node, dst: entry.node)
                    }
                    summary.lexicon += 1
                    linked = true
                }
                if curatedHere != nil {
                    seenCurated.insert(paper.node)
                    for edge in curatedLinks(of: paper.node) {
                        if !keep(edge, in: &existing) { curatedInserts[paper.node, default: []].append(edge) }
                        summary.curated += 1
                        linked = true
                    }
                }
                deletions += existing.map(\.id)
                if linked { summary.papers += 1 }
            }
            while let edge = nextStored {
                deletions.append(edge.id)
                nextStored = try stored?.next()
            }
            // A curated identifier naming a node without the Paper label still gets its links.
            for paper in curatedOrder where !seenCurated.contains(paper) {
                let edges = curatedLinks(of: paper)
                curatedInserts[paper] = edges
                summary.curated += edges.count
                if !edges.isEmpty { summary.papers += 1 }
            }
            // Lexicon links, then curated ones.
            for paper in curatedOrder { for edge in curatedInserts[paper] ?? [] { lexiconInserts.append(edge) } }
            try writer.deleteEdges(ids: deletions)
            try writer.insertEdges(lexiconInserts)
            summary.added = lexiconInserts.count
            summary.removed = deletions.count
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
