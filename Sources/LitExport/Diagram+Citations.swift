// The citation views: the citation graph of a selection of papers, and the neighbourhood of one
// paper. Papers are ranked by year (one row per year, oldest at the top), outlined in the colour of
// the model class they study, filled with the colour of their most common method, labelled "Family et al. 2024" plus
// a short title, with the full title and identifiers in the tooltip.
import Foundation
import LitModel
import LitStore

extension Diagram {
    static func citations(_ request: DiagramRequest, _ reader: GraphReader) throws -> DOTGraph {
        // Ranking needs only handles and citation counts; whole summaries are read for the drawn papers.
        let papers = try reader.paperHandles(ids: request.papers)
        // Counted in the store; with no selection every paper is in, so no list of ids is needed.
        let (citedBy, cites) = try reader.degrees(type: "CITES", among: request.papers == nil ? nil : papers.map(\.id))
        let limit = request.effectiveLimit
        // Most cited first; ties to the newer paper, then by key. Papers in no citation among the
        // selection come after all others: a limit leaves them out first.
        let ranked = papers.map { (paper: $0, cited: citedBy[$0.id] ?? 0, name: stableName($0)) }.sorted { a, b in
            if a.cited != b.cited { return a.cited > b.cited }
            if (a.paper.year ?? 0) != (b.paper.year ?? 0) { return (a.paper.year ?? 0) > (b.paper.year ?? 0) }
            return (a.name, a.paper.id) < (b.name, b.paper.id)
        }.map(\.paper)
        let connected = ranked.filter { citedBy[$0.id] != nil || cites[$0.id] != nil }
        let isolated = ranked.filter { citedBy[$0.id] == nil && cites[$0.id] == nil }
        var kept = balancedByYear(connected, limit: limit)
        if kept.count < limit { kept += balancedByYear(isolated, limit: limit - kept.count) }
        let edges = try reader.edges(type: "CITES", among: kept.map(\.id).sorted())
        let citationCount = citedBy.values.reduce(0, +)

        var caption = "Citations among \(count(kept.count, "paper"))"
        if let note = request.selectionNote { caption += " selected by \(squeezed(note))" }
        var comments = ["litgraph export dot --view citations: \(count(papers.count, "paper")) selected, \(count(citationCount, "citation")) among them"]
        if kept.count < papers.count {
            let left = papers.count - kept.count
            let note = "Showing \(grouped(kept.count)) of \(count(papers.count, "paper")), the most cited of each year (papers in no citation last): \(grouped(left)) left out, with \(grouped(citationCount - edges.count)) of their citations (raise --limit or narrow with --query)."
            caption += "\n" + note
            comments.append(note)
        }
        let summaries = try reader.papers(ids: kept.map(\.id).sorted())
        var graph = try paperGraph(name: "citations", papers: summaries, edges: Array(edges), citedBy: citedBy,
                                   reader: reader, caption: caption, centre: nil, distances: [:])
        graph.comments = comments
        return graph
    }

    static func neighbourhood(_ request: DiagramRequest, _ reader: GraphReader) throws -> DOTGraph {
        let name = request.around ?? ""
        guard let centre = try reader.node(identifiedBy: name) else {
            throw Diagnostic.error("export.dot.unknown-paper", "no paper in the graph is named '\(name)'",
                                   notes: ["give an arXiv id (2502.17516), a DOI or a BibTeX key"])
        }
        guard let centrePaper = try reader.papers(ids: [centre]).first else {
            throw Diagnostic.error("export.dot.not-a-paper", "'\(name)' names a node that is not a Paper")
        }
        let allowed = request.papers.map(Set.init)
        // Signed distance: negative for papers citing the centre, positive for papers it cites.
        var distance: [Int64: Int] = [centre: 0]
        for outgoing in [false, true] {
            var frontier = [centre]
            for hop in 1...request.depth where !frontier.isEmpty {
                var next: [Int64] = []
                for edge in try reader.edges(type: "CITES", touching: frontier, outgoing: outgoing) {
                    let other = outgoing ? edge.target : edge.source
                    if distance[other] != nil { continue }
                    if let allowed, !allowed.contains(other) { continue }
                    distance[other] = outgoing ? hop : -hop
                    next.append(other)
                }
                frontier = Array(Set(next)).sorted()
            }
        }
        let found = Array(distance.keys)
        let names = Dictionary(try reader.paperHandles(ids: found.sorted()).map { ($0.id, stableName($0)) }, uniquingKeysWith: { a, _ in a })
        let all = Set(try reader.edges(type: "CITES", touching: found.sorted(), outgoing: true).filter {
            $0.source != $0.target && distance[$0.target] != nil
        })
        var degree: [Int64: Int] = [:]
        for edge in all { degree[edge.source, default: 0] += 1; degree[edge.target, default: 0] += 1 }
        let limit = max(request.effectiveLimit, 1)
        let keptIDs = Set(found.sorted { a, b in
            if a == centre || b == centre { return a == centre && b != centre }
            let da = abs(distance[a]!), db = abs(distance[b]!)
            if da != db { return da < db }
            if (degree[a] ?? 0) != (degree[b] ?? 0) { return (degree[a] ?? 0) > (degree[b] ?? 0) }
            return (names[a] ?? "", a) < (names[b] ?? "", b)
        }.prefix(limit))
        let papers = try reader.papers(ids: keptIDs.sorted())
        let edges = all.filter { keptIDs.contains($0.source) && keptIDs.contains($0.target) }
        let citing = distance.values.filter { $0 < 0 }.count
        let cited = distance.values.filter { $0 > 0 }.count
        var caption = "Citation neighbourhood of \(shortName(centrePaper)) to depth \(request.depth): \(count(citing, "citing paper")), \(count(cited, "cited paper"))"
        var comments = ["litgraph export dot --view neighbourhood --around \(name) --depth \(request.depth)"]
        if keptIDs.count < found.count {
            let note = "Showing the \(grouped(keptIDs.count)) nearest of \(count(found.count, "paper")): \(grouped(found.count - keptIDs.count)) left out (raise --limit or lower --depth)."
            caption += "\n" + note
            comments.append(note)
        }
        var citedBy: [Int64: Int] = [:]
        for edge in edges { citedBy[edge.target, default: 0] += 1 }
        var graph = try paperGraph(name: "neighbourhood", papers: papers, edges: Array(edges), citedBy: citedBy,
                                   reader: reader, caption: caption, centre: centre, distances: distance)
        graph.comments = comments
        return graph
    }

    /// Up to `limit` papers from `ranked` (best first), taken round by round across years — the
    /// best of every year, then the second best, … — so that no year's row swallows the picture.
    static func balancedByYear(_ ranked: [PaperHandle], limit: Int) -> [PaperHandle] {
        guard ranked.count > limit else { return ranked }
        var byYear: [Int: [PaperHandle]] = [:]
        for paper in ranked { byYear[paper.year ?? Int.min, default: []].append(paper) }
        let years = byYear.keys.sorted(by: >)
        var kept: [PaperHandle] = []
        var round = 0
        while kept.count < limit {
            for year in years where round < byYear[year]!.count && kept.count < limit {
                kept.append(byYear[year]![round])
            }
            round += 1
        }
        return kept
    }

    /// `Lin et al. 2025`, `Lin 2025`, or the key or arXiv id when no author is known.
    static func shortName(_ paper: PaperSummary) -> String {
        var name: String
        if let author = paper.firstAuthor, !author.isEmpty {
            name = squeezed(author) + (paper.authorCount > 1 ? " et al." : "")
        } else {
            name = paper.key ?? paper.arxiv.map { "arXiv:\($0)" } ?? paper.doi ?? "paper \(paper.id)"
        }
        if let year = paper.year { name += " \(year)" }
        return name
    }

    /// A name for a paper that does not depend on the order papers were stored in.
    static func stableName(_ paper: PaperHandle) -> String {
        stableName(key: paper.key, arxiv: paper.arxiv, doi: paper.doi, id: paper.id)
    }

    static func stableName(_ paper: PaperSummary) -> String {
        stableName(key: paper.key, arxiv: paper.arxiv, doi: paper.doi, id: paper.id)
    }

    static func stableName(key: String?, arxiv: String?, doi: String?, id: Int64) -> String {
        key ?? arxiv.map { "arXiv:\($0)" } ?? doi.map { "doi:\($0)" } ?? "node \(id)"
    }

    /// DOT node ids for papers: `paper:KEY`, made unique with the node id when two papers share a name.
    static func paperNodeIDs(_ papers: [PaperSummary]) -> [Int64: String] {
        var byName: [String: [Int64]] = [:]
        for paper in papers { byName["paper:" + stableName(paper), default: []].append(paper.id) }
        var ids: [Int64: String] = [:]
        for (name, nodes) in byName {
            for node in nodes { ids[node] = nodes.count == 1 ? name : "\(name) #\(node)" }
        }
        return ids
    }

    /// The shared drawing of papers and the citations among them.
    static func paperGraph(name: String, papers: [PaperSummary], edges: [EdgeEnds], citedBy: [Int64: Int],
                           reader: GraphReader, caption: String, centre: Int64?,
                           distances: [Int64: Int]) throws -> DOTGraph {
        let drawn = papers.map(\.id).sorted()
        let methodLinks = try links(reader, type: "USES_METHOD", of: drawn)
        let classLinks = try links(reader, type: "STUDIES", of: drawn)
        let methods = Dictionary(try reader.taxonomy(label: "Method").map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
        let classes = Dictionary(try reader.taxonomy(label: "ModelClass").map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })

        // Methods and classes by how many drawn papers they cover, then by taxonomy id.
        func ranking(_ linksOf: [Int64: [Int64]], _ names: [Int64: TaxonomyEntry]) -> [Int64] {
            var frequency: [Int64: Int] = [:]
            for paper in papers { for node in linksOf[paper.id] ?? [] where names[node] != nil { frequency[node, default: 0] += 1 } }
            return frequency.keys.sorted { a, b in
                if frequency[a]! != frequency[b]! { return frequency[a]! > frequency[b]! }
                return (names[a]!.id, a) < (names[b]!.id, b)
            }
        }
        let methodOrder = ranking(methodLinks, methods)
        let methodRank = Dictionary(uniqueKeysWithValues: methodOrder.enumerated().map { ($1, $0) })
        let classOrder = ranking(classLinks, classes)
        let classRank = Dictionary(uniqueKeysWithValues: classOrder.enumerated().map { ($1, $0) })
        let other = "#BBBBBB", none = "#FFFFFF"
        let outlines = ["#1B5E20", "#4A148C", "#B71C1C", "#0D47A1", "#E65100", "#006064", "#880E4F", "#3E2723"]
        let otherOutline = "#777777"

        var graph = baseGraph(name: name, caption: caption)
        graph.graphAttributes["rankdir"] = .text("TB")
        graph.graphAttributes["ranksep"] = .text("0.5")
        graph.graphAttributes["nodesep"] = .text("0.25")
        graph.nodeDefaults["shape"] = .text("box")
        graph.nodeDefaults["style"] = .text("rounded,filled")
        graph.edgeDefaults["color"] = .text("#00000066")
        graph.edgeDefaults["arrowsize"] = .text("0.6")

        let nodeIDs = paperNodeIDs(papers)
        var usedOutlines: Set<Int> = []
        var usesOtherClass = false
        var byYear: [Int: [String]] = [:]
        var usedColours: Set<Int> = []
        var usesOther = false, usesNone = false
        for paper in papers {
            let node = nodeIDs[paper.id]!
            let paperMethods = (methodLinks[paper.id] ?? []).filter { methodRank[$0] != nil }
                .sorted { methodRank[$0]! < methodRank[$1]! }
            let fill: String
            if let first = paperMethods.first {
                let rank = methodRank[first]!
                if rank < palette.count { fill = palette[rank]; usedColours.insert(rank) } else { fill = other; usesOther = true }
            } else {
                fill = none; usesNone = true
            }
            var label = shortName(paper)
            if let title = paper.title, !title.isEmpty { label += "\n" + wrapped(title, width: 26, lines: 2) }
            var tooltip: [String] = [squeezed(paper.title ?? paper.key ?? "untitled")]
            var ids: [String] = []
            if let arxiv = paper.arxiv { ids.append("arXiv:\(arxiv)") }
            if let doi = paper.doi { ids.append("doi:\(doi)") }
            if let key = paper.key { ids.append(key) }
            if !ids.isEmpty { tooltip.append(ids.joined(separator: " · ")) }
            let methodNames = paperMethods.compactMap { methods[$0]?.name }
            if !methodNames.isEmpty { tooltip.append("methods: " + methodNames.joined(separator: ", ")) }
            let classNames = (classLinks[paper.id] ?? []).compactMap { classes[$0]?.name }.sorted()
            if !classNames.isEmpty { tooltip.append("model classes: " + classNames.joined(separator: ", ")) }
            tooltip.append("cited by \(count(citedBy[paper.id] ?? 0, "paper")) drawn here")
            if let d = distances[paper.id], d != 0 {
                tooltip.append(d < 0 ? "cites the centre in \(count(-d, "hop"))" : "cited by the centre in \(count(d, "hop"))")
            }
            var attributes: DOTAttributes = [
                "label": .text(label), "tooltip": .text(tooltip.joined(separator: "\n")),
                "fillcolor": .text(fill), "fontcolor": .text(textColour(onFill: fill)),
            ]
            if let arxiv = paper.arxiv { attributes["URL"] = .text("https://arxiv.org/abs/\(arxiv)") }
            else if let doi = paper.doi { attributes["URL"] = .text("https://doi.org/\(doi)") }
            if paper.stub { attributes["style"] = .text("rounded,filled,dashed") }
            if paper.id == centre {
                attributes["penwidth"] = .text("3")
                attributes["style"] = .text("rounded,filled,bold")
                attributes["fontsize"] = .text("12")
            }
            // The model class is the outline, not a cluster: year ranks across clusters need
            // `newrank=true`, and with it `dot` fails in spline routing ("triangulation failed",
            // edges lost, exit 1) on a generated 10,000-paper corpus; outlines never do.
            if let home = (classLinks[paper.id] ?? []).filter({ classRank[$0] != nil }).min(by: { classRank[$0]! < classRank[$1]! }) {
                let rank = classRank[home]!
                if rank < outlines.count { attributes["color"] = .text(outlines[rank]); usedOutlines.insert(rank) }
                else { attributes["color"] = .text(otherOutline); usesOtherClass = true }
                if paper.id != centre { attributes["penwidth"] = .text("2.5") }
            }
            graph.nodes.append(DOTNode(node, attributes))
            if let year = paper.year { byYear[year, default: []].append(node) }
        }
        // One rank per year, oldest first, with an axis of year labels down the left.
        let years = byYear.keys.sorted()
        for year in years {
            let axis = "year \(year)"
            graph.nodes.append(DOTNode(axis, ["label": .text(String(year)), "shape": .text("plaintext"),
                                              "style": .text("solid"), "fontsize": .text("14")]))
            graph.sameRank.append([axis] + byYear[year]!)
        }
        for (a, b) in zip(years, years.dropFirst()) {
            graph.edges.append(DOTEdge("year \(a)", "year \(b)", ["style": .text("invis"), "weight": .text("10")]))
        }
        // Written older → newer with the arrow drawn back at the cited paper: the arrow still reads
        // "cites", and the edge agrees with the year ranks instead of fighting them.
        for edge in edges {
            graph.edges.append(DOTEdge(nodeIDs[edge.target]!, nodeIDs[edge.source]!, ["dir": .text("back")]))
        }
        // The legend: which colour is which method.
        if !methodOrder.isEmpty || usesNone {
            var rows = "<TR><TD COLSPAN=\"2\"><B>Colour: most common method</B></TD></TR>"
            for rank in usedColours.sorted() {
                let entry = methods[methodOrder[rank]]!
                rows += "<TR><TD BGCOLOR=\"\(palette[rank])\" WIDTH=\"16\"> </TD><TD ALIGN=\"LEFT\">\(DOT.html(entry.name))</TD></TR>"
            }
            if usesOther { rows += "<TR><TD BGCOLOR=\"\(other)\" WIDTH=\"16\"> </TD><TD ALIGN=\"LEFT\">other methods</TD></TR>" }
            if usesNone { rows += "<TR><TD BGCOLOR=\"\(none)\" WIDTH=\"16\"> </TD><TD ALIGN=\"LEFT\">no method linked</TD></TR>" }
            if !usedOutlines.isEmpty || usesOtherClass {
                rows += "<TR><TD COLSPAN=\"2\"><B>Outline: model class studied</B></TD></TR>"
                for rank in usedOutlines.sorted() {
                    let entry = classes[classOrder[rank]]!
                    rows += "<TR><TD BGCOLOR=\"\(outlines[rank])\" WIDTH=\"16\"> </TD><TD ALIGN=\"LEFT\">\(DOT.html(entry.name))</TD></TR>"
                }
                if usesOtherClass { rows += "<TR><TD BGCOLOR=\"\(otherOutline)\" WIDTH=\"16\"> </TD><TD ALIGN=\"LEFT\">other model classes</TD></TR>" }
            }
            graph.nodes.append(DOTNode("legend", [
                "shape": .text("plaintext"), "style": .text("solid"),
                "label": .html("<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">\(rows)</TABLE>"),
            ]))
        }
        return graph
    }
}
