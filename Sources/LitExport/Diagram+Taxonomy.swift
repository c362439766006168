// The taxonomy view: methods with their SPECIALISES hierarchy on the left, model classes and
// applications on the right, and between them edges weighted by how many (selected) papers use the
// method on that class or for that application. Only the heaviest edges are drawn when there are
// more than the limit; the caption says how many were left out.
import Foundation
import LitModel
import LitStore

extension Diagram {
    static func taxonomy(_ request: DiagramRequest, _ reader: GraphReader) throws -> DOTGraph {
        let selected = request.papers.map(Set.init)
        func restricted(_ map: [Int64: [Int64]]) -> [Int64: [Int64]] {
            guard let selected else { return map }
            return map.filter { selected.contains($0.key) }
        }
        let methodLinks = restricted(try links(reader, type: "USES_METHOD"))
        let classLinks = restricted(try links(reader, type: "STUDIES"))
        let applicationLinks = restricted(try links(reader, type: "APPLIES_TO"))
        let methods = try reader.taxonomy(label: "Method")
        let classes = try reader.taxonomy(label: "ModelClass")
        let applications = try reader.taxonomy(label: "Application")
        let known = Set(methods.map(\.node) + classes.map(\.node) + applications.map(\.node))

        var papersOf: [Int64: Int] = [:]
        for map in [methodLinks, classLinks, applicationLinks] {
            for targets in map.values { for t in targets { papersOf[t, default: 0] += 1 } }
        }
        // Weighted method → class and method → application edges: papers that have both links.
        var weights: [EdgeEnds: Int] = [:]
        for (paper, paperMethods) in methodLinks {
            let others = (classLinks[paper] ?? []) + (applicationLinks[paper] ?? [])
            for m in paperMethods where known.contains(m) {
                for o in others where known.contains(o) { weights[EdgeEnds(source: m, target: o), default: 0] += 1 }
            }
        }
        let ids = Dictionary((methods + classes + applications).map { ($0.node, $0.id) }, uniquingKeysWith: { a, _ in a })
        let ranked = weights.keys.sorted { a, b in
            if weights[a]! != weights[b]! { return weights[a]! > weights[b]! }
            return (ids[a.source]!, ids[a.target]!) < (ids[b.source]!, ids[b.target]!)
        }
        let limit = request.effectiveLimit
        let drawn = ranked.prefix(limit)
        let heaviest = max(1, drawn.map { weights[$0]! }.max() ?? 1)

        var caption = "Taxonomy: \(count(methods.count, "method")), \(count(classes.count, "model class")), \(count(applications.count, "application"))"
        if selected != nil {
            caption += "; paper counts over \(count(selected!.count, "selected paper"))"
            if let note = request.selectionNote { caption += " (\(squeezed(note)))" }
        }
        var comments = ["litgraph export dot --view taxonomy: \(count(weights.count, "weighted edge"))"]
        if drawn.count < ranked.count {
            let lightest = weights[drawn.last!]!
            let note = "Showing the \(grouped(drawn.count)) heaviest of \(count(ranked.count, "method–class/application link")): \(grouped(ranked.count - drawn.count)) with \(count(lightest, "paper")) or fewer left out (raise --limit)."
            caption += "\n" + note
            comments.append(note)
        }

        var graph = baseGraph(name: "taxonomy", caption: caption)
        graph.comments = comments
        graph.graphAttributes["rankdir"] = .text("LR")
        graph.graphAttributes["ranksep"] = .text("1.2")
        graph.edgeDefaults["color"] = .text("#55555588")

        func node(_ entry: TaxonomyEntry, prefix: String, attributes: DOTAttributes) -> DOTNode {
            var all = attributes
            let n = papersOf[entry.node] ?? 0
            all["label"] = .text("\(entry.name)\n\(count(n, "paper"))")
            all["tooltip"] = .text([entry.id, entry.description.map { squeezed($0) }].compactMap { $0 }.joined(separator: ": "))
            if n == 0 { all["fontcolor"] = .text("#888888") }
            return DOTNode("\(prefix):\(entry.id)", all)
        }
        let methodIDs = Dictionary(methods.map { ($0.node, "method:\($0.id)") }, uniquingKeysWith: { a, _ in a })
        let targetIDs = Dictionary(classes.map { ($0.node, "class:\($0.id)") } + applications.map { ($0.node, "application:\($0.id)") },
                                   uniquingKeysWith: { a, _ in a })
        for entry in methods {
            graph.nodes.append(node(entry, prefix: "method", attributes: [
                "shape": .text("box"), "style": .text("rounded,filled"), "fillcolor": .text("#DCEBF7")]))
        }
        for entry in classes {
            graph.nodes.append(node(entry, prefix: "class", attributes: [
                "shape": .text("ellipse"), "style": .text("filled"), "fillcolor": .text("#FBE3C8")]))
        }
        for entry in applications {
            graph.nodes.append(node(entry, prefix: "application", attributes: [
                "shape": .text("note"), "style": .text("filled"), "fillcolor": .text("#E3F1DD")]))
        }
        if !methods.isEmpty {
            graph.clusters.append(DOTCluster("methods", ["label": .text("Methods"), "color": .text("#7A9CC6")],
                                             nodes: methods.map { "method:\($0.id)" }))
        }
        if !classes.isEmpty {
            graph.clusters.append(DOTCluster("model_classes", ["label": .text("Model classes"), "color": .text("#D9A066")],
                                             nodes: classes.map { "class:\($0.id)" }))
        }
        if !applications.isEmpty {
            graph.clusters.append(DOTCluster("applications", ["label": .text("Applications"), "color": .text("#7FB069")],
                                             nodes: applications.map { "application:\($0.id)" }))
        }
        // The hierarchy: parent → child, the arrow back at the parent ("specialises").
        for edge in try reader.edges(type: "SPECIALISES") {
            guard let child = methodIDs[edge.source], let parent = methodIDs[edge.target], child != parent else { continue }
            graph.edges.append(DOTEdge(parent, child, [
                "dir": .text("back"), "arrowtail": .text("onormal"), "color": .text("#3B6EA5"),
                "tooltip": .text("\(child.dropFirst(7)) specialises \(parent.dropFirst(7))")]))
        }
        for pair in drawn {
            guard let from = methodIDs[pair.source], let to = targetIDs[pair.target] else { continue }
            let n = weights[pair]!
            let width = 1.0 + 5.0 * Double(n) / Double(heaviest)
            var attributes: DOTAttributes = [
                "label": .text(String(n)), "penwidth": .text(String(format: "%.2f", width)),
                "tooltip": .text("\(count(n, "paper")): \(from.dropFirst(7)) on \(to.split(separator: ":", maxSplits: 1).last ?? "")"),
            ]
            if to.hasPrefix("application:") { attributes["style"] = .text("dashed") }
            graph.edges.append(DOTEdge(from, to, attributes))
        }
        return graph
    }
}
