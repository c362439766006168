// Graphs for the export tests, built directly through the store: a small hand-made one whose names
// carry every character that needs escaping, and a generated one of any size (deterministic: the
// same size gives the same graph) shaped like the domain graph.
import Foundation
import LitStore

/// A fresh database in a temporary folder, removed by `cleanup()`.
final class TemporaryStore {
    let directory: URL
    let store: GraphStore
    var path: String { store.path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("litexport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try GraphStore(path: directory.appendingPathComponent("graph.sqlite").path)
    }

    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

enum SampleGraphs {
    /// A title with every character DOT, HTML-like labels, XML and CSV must escape.
    static let trickyTitle = #"Say "Hi" \ {x} <y> & Zoë"#
    static let trickyMethod = #"Probes <linear> & "tuned" {lens} \ α"#

    /// Methods (with a hierarchy), classes, applications, 8 papers, citations and links.
    @discardableResult
    static func small(_ store: GraphStore, reversed: Bool = false) throws -> [String: Int64] {
        try store.build { b in
            var ids: [String: Int64] = [:]
            var steps: [() throws -> Void] = []
            func taxonomy(_ label: String, _ id: String, _ name: String) {
                steps.append {
                    let node = try b.addNode(labels: [label], properties: [
                        "id": .string(id), "name": .string(name), "description": .string("About \(name).")])
                    try b.addIdentifier(kind: "taxonomy", value: id, node: node)
                    ids[id] = node
                }
            }
            taxonomy("Method", "probing", trickyMethod)
            taxonomy("Method", "causal-tracing", "Causal tracing")
            taxonomy("Method", "activation-patching", "Activation patching")
            taxonomy("Method", "sae", "Sparse autoencoders")
            taxonomy("ModelClass", "clip", "Contrastive VLMs")
            taxonomy("ModelClass", "llava", "Generative VLMs")
            taxonomy("ModelClass", "diffusion", "Text-to-image diffusion")
            taxonomy("Application", "hallucination", "Hallucination")
            let papers: [(String, String, Int, [String], [String], [String])] = [
                ("lin2025survey", "A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models", 2025, ["Lin", "Basu"], ["causal-tracing"], ["clip", "llava"]),
                ("tricky2024", trickyTitle, 2024, ["Müller-Lüdenscheidt"], ["probing"], ["clip"]),
                ("basu2023", "Localizing and Editing Knowledge in Text-to-Image Generative Models", 2023, ["Basu", "Feizi"], ["causal-tracing"], ["diffusion"]),
                ("gandelsman2023", "Interpreting CLIP's Image Representation via Text-Based Decomposition", 2023, ["Gandelsman"], ["activation-patching"], ["clip"]),
                ("palit2023", "Towards Vision-Language Mechanistic Interpretability: A Causal Tracing Tool for BLIP", 2023, ["Palit"], ["causal-tracing", "activation-patching"], ["llava"]),
                ("sae2024", "Sparse Autoencoders Find Interpretable Features in CLIP", 2024, ["Lim", "Joseph", "Bricken"], ["sae"], ["clip"]),
                ("nolink2022", "A Paper With No Links", 2022, ["Solo"], [], []),
                ("stub2021", "", 0, [], [], []),
            ]
            for (key, title, year, authors, methods, classes) in papers {
                steps.append {
                    var props: [String: JSONValue] = ["key": .string(key), "bibkeys": .array([.string(key), .string(key.uppercased())])]
                    if !title.isEmpty { props["title"] = .string(title) }
                    if year > 0 { props["year"] = .int(year) } else { props["stub"] = .bool(true) }
                    if key == "lin2025survey" {
                        props["arxiv"] = .string("2502.17516")
                        props["versions"] = .array([.int(1), .int(2)])
                        props["abstract"] = .string("Two lines\nof abstract, with \"quotes\", commas; and semicolons.")
                        props["score"] = .double(1.0)
                    }
                    let paper = try b.addNode(labels: ["Paper"], properties: props)
                    ids[key] = paper
                    try b.addIdentifier(kind: "bibkey", value: key, node: paper)
                    try b.addIdentifier(kind: "bibkey", value: "old:" + key, node: paper)
                    for (i, name) in authors.enumerated() {
                        let author = try b.addNode(labels: ["Author"], properties: ["name": .string(name), "family": .string(name)])
                        try b.addEdge(type: "AUTHORED_BY", from: paper, to: author, properties: ["position": .int(i + 1)])
                    }
                    for m in methods { try b.addEdge(type: "USES_METHOD", from: paper, to: ids[m]!, properties: ["via": .string("curated")]) }
                    for c in classes { try b.addEdge(type: "STUDIES", from: paper, to: ids[c]!, properties: ["via": .string("lexicon"), "phrase": .string("CLIP")]) }
                }
            }
            steps.append {
                try b.addEdge(type: "SPECIALISES", from: ids["activation-patching"]!, to: ids["causal-tracing"]!)
                try b.addEdge(type: "APPLIES_TO", from: ids["palit2023"]!, to: ids["hallucination"]!)
                for (a, c) in [("lin2025survey", "tricky2024"), ("lin2025survey", "basu2023"), ("lin2025survey", "gandelsman2023"),
                               ("lin2025survey", "palit2023"), ("lin2025survey", "sae2024"), ("sae2024", "gandelsman2023"),
                               ("tricky2024", "basu2023"), ("palit2023", "basu2023"), ("basu2023", "nolink2022"),
                               ("gandelsman2023", "stub2021")] {
                    try b.addEdge(type: "CITES", from: ids[a]!, to: ids[c]!, properties: ["via": .string("citations"), "line": .int(3)])
                }
            }
            if reversed {
                // Taxonomy before papers, and SPECIALISES/CITES last, but papers in reverse order.
                let taxonomySteps = steps.prefix(8), paperSteps = steps.dropFirst(8).dropLast(), last = steps.last!
                for step in taxonomySteps.reversed() { try step() }
                for step in paperSteps.reversed() { try step() }
                try last()
            } else {
                for step in steps { try step() }
            }
            return ids
        }
    }

    /// A generated domain graph of `papers` papers: 12 methods (3 specialising others), 6 model
    /// classes, 4 applications, 1–5 authors, up to 12 citations of earlier papers each.
    static func generated(_ store: GraphStore, papers: Int) throws {
        var rng = SplitMix(seed: UInt64(papers))
        let words = ["Sparse", "Probing", "Circuits", "Attention", "Neurons", "Vision", "Language", "Diffusion",
                     "Features", "Causal", "Patching", "Steering", "Lens", "Models", "Multimodal", "Concepts"]
        let families = ["Lin", "Basu", "Beigi", "Feizi", "Huang", "Müller", "O'Neil", "Zhang", "García", "Smith"]
        try store.build { b in
            var methods: [Int64] = [], classes: [Int64] = [], applications: [Int64] = []
            for i in 0..<12 {
                let m = try b.addNode(labels: ["Method"], properties: ["id": .string("method-\(i)"), "name": .string("Method \(i) & <co>")])
                methods.append(m)
                if i >= 9 { try b.addEdge(type: "SPECIALISES", from: m, to: methods[i - 9]) }
            }
            for i in 0..<6 { classes.append(try b.addNode(labels: ["ModelClass"], properties: ["id": .string("class-\(i)"), "name": .string("Class \(i)")])) }
            for i in 0..<4 { applications.append(try b.addNode(labels: ["Application"], properties: ["id": .string("app-\(i)"), "name": .string("Application \(i)")])) }
            var authors: [Int64] = []
            for i in 0..<max(10, papers / 3) {
                let family = families[i % families.count]
                authors.append(try b.addNode(labels: ["Author"], properties: ["name": .string("A. \(family) \(i)"), "family": .string(family)]))
            }
            var paperIDs: [Int64] = []
            for i in 0..<papers {
                let year = 2015 + i * 11 / max(1, papers)
                let title = (0..<(4 + Int(rng.next() % 6))).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
                let p = try b.addNode(labels: ["Paper"], properties: [
                    "key": .string("paper\(i)"), "title": .string(title), "year": .int(year),
                    "arxiv": .string(String(format: "%02d%02d.%05d", year % 100, 1 + i % 12, i)),
                ])
                paperIDs.append(p)
                for position in 0..<(1 + Int(rng.next() % 5)) {
                    try b.addEdge(type: "AUTHORED_BY", from: p, to: authors[Int(rng.next() % UInt64(authors.count))],
                                  properties: ["position": .int(position + 1)])
                }
                if rng.next() % 10 < 8 { try b.addEdge(type: "USES_METHOD", from: p, to: methods[Int(min(rng.next() % 12, rng.next() % 12))]) }
                if rng.next() % 10 < 3 { try b.addEdge(type: "USES_METHOD", from: p, to: methods[Int(rng.next() % 12)]) }
                if rng.next() % 10 < 8 { try b.addEdge(type: "STUDIES", from: p, to: classes[Int(min(rng.next() % 6, rng.next() % 6))]) }
                if rng.next() % 10 < 2 { try b.addEdge(type: "APPLIES_TO", from: p, to: applications[Int(rng.next() % 4)]) }
                if i > 0 {
                    var cited = Set<Int>()
                    for _ in 0..<Int(rng.next() % 13) {
                        // Skewed towards early (popular) papers.
                        let r = Double(rng.next() % 1_000_000) / 1_000_000
                        cited.insert(Int(Double(i) * r * r))
                    }
                    for c in cited.sorted() { try b.addEdge(type: "CITES", from: p, to: paperIDs[c]) }
                }
            }
        }
    }
}

/// A small deterministic random number generator.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
