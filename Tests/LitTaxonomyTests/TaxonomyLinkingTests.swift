// Linking into the graph: taxonomy nodes and structure, curated and lexicon links with evidence,
// curated winning over lexicon, `not` removing a lexicon match, relinking after the taxonomy changed,
// and the ingest stage's taxonomy case (a broken file stores nothing).
import Foundation
import LitIngest
import LitModel
import LitStore
import LitTaxonomy
import Testing

/// A fresh database in a temporary folder, removed with the value.
final class TemporaryStore {
    let folder: URL
    let store: GraphStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try GraphStore(path: folder.appendingPathComponent("graph.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func file(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Adds papers as (arXiv id, BibTeX key, year, title, abstract).
    func addPapers(_ papers: [(String, String, Int, String, String)]) throws {
        try store.writeSession(source: SourceFile(path: folder.appendingPathComponent("papers.bib").path, format: "bibtex")) { w in
            for (k, p) in papers.enumerated() {
                var r = WorkRecord(via: "bibtex", line: k * 10 + 1)
                r.arxiv = ArxivID(p.0)
                r.bibKey = p.1
                r.year = p.2
                r.title = p.3
                r.abstract = p.4
                r.authors = [PersonName(display: "Ada Lovelace", family: "Lovelace", given: "Ada")]
                try w.upsert(r, into: w.resolve(r))
            }
        }
    }

    /// `(type, target id, via)` of every link of the paper `id`, sorted.
    func links(_ id: String) throws -> [String] {
        let node = try #require(try store.findPaper(id))
        return try store.links(ofPaper: node).map { "\($0.type) \($0.id) \($0.via)" }.sorted()
    }
}

let linkingTaxonomy = """
methods:
  - id: interpretability
    name: Interpretability
    phrases: [interpretability]
  - id: sae
    name: Sparse autoencoders
    parent: interpretability
    phrases: [sparse autoencoder]
  - id: probing
    name: Probing
    parent: interpretability
    phrases: [linear probe]
model_classes:
  - id: contrastive-vlm
    name: Contrastive VLMs
    models: [CLIP]
  - id: diffusion
    name: Diffusion models
    phrases: [diffusion model]
    models: [Stable Diffusion]
applications:
  - id: hallucination
    name: Hallucination
    phrases: [hallucination]
gaps:
  - id: sae-diffusion
    name: SAEs barely tried on diffusion
    concerns: [sae, diffusion]
papers:
  - paper: lovelace2024sae
    methods: [sae]
    gaps: [sae-diffusion]
  - paper: "arXiv:2401.00002v3"
    model_classes: [diffusion]
    not: [hallucination]

"""

let linkingPapers: [(String, String, Int, String, String)] = [
    ("2401.00001", "lovelace2024sae", 2024, "Sparse Autoencoders on Stable Diffusion", "We train a sparse autoencoder on CLIP."),
    ("2401.00002", "lovelace2024probe", 2024, "Linear probes for diffusion models", "No hallucination here, a false match."),
    ("2301.00003", "lovelace2023clip", 2023, "Interpretability of CLIP", "Nothing else."),
]

@Suite struct TaxonomyLinkingTests {
    func apply(_ t: TemporaryStore, _ yaml: String) throws -> (LinkSummary, [Diagnostic]) {
        let path = try t.file("taxonomy.yaml", yaml)
        let (summary, diagnostics) = TaxonomyLinker.ingest(path: path, into: t.store)
        return (try #require(summary, "\(diagnostics)"), diagnostics)
    }

    @Test func taxonomyNodesAndStructure() throws {
        let t = try TemporaryStore()
        _ = try apply(t, linkingTaxonomy)
        let stats = try t.store.stats()
        let nodes = Dictionary(stats.nodes.map { ($0.label, $0.count) }, uniquingKeysWith: +)
        let edges = Dictionary(stats.edges.map { ($0.type, $0.count) }, uniquingKeysWith: +)
        #expect(nodes["Method"] == 3 && nodes["ModelClass"] == 2 && nodes["Application"] == 1 && nodes["Gap"] == 1)
        #expect(edges["SPECIALISES"] == 2)
        #expect(edges["CONCERNS"] == 2)
        let entries = try t.store.taxonomyEntries()
        #expect(entries.first { $0.id == "sae" }?.parent == "interpretability")
    }

    @Test func curatedAndLexiconLinksWithEvidence() throws {
        let t = try TemporaryStore()
        try t.addPapers(linkingPapers)
        let (summary, diagnostics) = try apply(t, linkingTaxonomy)
        #expect(diagnostics.isEmpty)
        // Paper 1: curated sae (wins over the lexicon match), curated gap; lexicon CLIP, Stable Diffusion.
        #expect(try t.links("lovelace2024sae") == [
            "ADDRESSES sae-diffusion curated", "STUDIES contrastive-vlm lexicon", "STUDIES diffusion lexicon",
            "USES_METHOD sae curated"])
        // Paper 2: curated diffusion wins; `not` removes hallucination; lexicon probing stays.
        #expect(try t.links("2401.00002") == ["STUDIES diffusion curated", "USES_METHOD probing lexicon"])
        #expect(try t.links("lovelace2023clip") == ["STUDIES contrastive-vlm lexicon", "USES_METHOD interpretability lexicon"])
        #expect(summary.curated == 3 && summary.lexicon == 5 && summary.vetoed == 1 && summary.papers == 3)

        let node = try #require(try t.store.findPaper("lovelace2024sae"))
        let links = try t.store.links(ofPaper: node)
        let curated = try #require(links.first { $0.id == "sae" })
        #expect(curated.via == "curated" && curated.line == 31 && curated.source?.hasSuffix("/taxonomy.yaml") == true)
        #expect(curated.field == nil && curated.phrase == nil)
        let clip = try #require(links.first { $0.id == "contrastive-vlm" })
        #expect(clip.via == "lexicon" && clip.field == "abstract" && clip.phrase == "CLIP" && clip.model == "CLIP")
        #expect(clip.line == 14)
        let sd = try #require(links.first { $0.id == "diffusion" })
        #expect(sd.field == "title" && sd.phrase == "Stable Diffusion")
    }

    @Test func relinkingAfterTheTaxonomyChanged() throws {
        let t = try TemporaryStore()
        try t.addPapers(linkingPapers)
        _ = try apply(t, linkingTaxonomy)
        // Drop CLIP from the lexicon, drop the probing method, add a phrase to hallucination.
        let changed = linkingTaxonomy
            .replacingOccurrences(of: "    models: [CLIP]\n", with: "")
            .replacingOccurrences(of: "  - id: probing\n    name: Probing\n    parent: interpretability\n    phrases: [linear probe]\n", with: "")
            .replacingOccurrences(of: "phrases: [hallucination]", with: "phrases: [hallucination, nothing else]")
        let (summary, _) = try apply(t, changed)
        #expect(summary.entriesRemoved == ["probing"])
        #expect(try t.links("lovelace2024sae") == ["ADDRESSES sae-diffusion curated", "STUDIES diffusion lexicon", "USES_METHOD sae curated"])
        #expect(try t.links("2401.00002") == ["STUDIES diffusion curated"])
        #expect(try t.links("lovelace2023clip") == ["APPLIES_TO hallucination lexicon", "USES_METHOD interpretability lexicon"])
        #expect(try t.store.taxonomyEntries().contains { $0.id == "probing" } == false)

        // `relink` re-reads the recorded file: restore the original and relink.
        _ = try t.file("taxonomy.yaml", linkingTaxonomy)
        let (again, diagnostics) = TaxonomyLinker.relink(store: t.store)
        #expect(diagnostics.isEmpty)
        #expect(again?.curated == 3 && again?.lexicon == 5)
        #expect(try t.links("2401.00002") == ["STUDIES diffusion curated", "USES_METHOD probing lexicon"])
    }

    @Test func relinkingIsIdempotent() throws {
        let t = try TemporaryStore()
        try t.addPapers(linkingPapers)
        _ = try apply(t, linkingTaxonomy)
        let before = try t.store.stats()
        let (again, _) = try apply(t, linkingTaxonomy)
        #expect(try t.store.stats() == before)
        #expect(again.added == 0 && again.removed == 0 && again.lexicon == 5 && again.curated == 3)
    }

    /// A relink writes only the links that changed: none for an unchanged taxonomy, those of a new
    /// paper after it is ingested, and a rewrite of the links whose evidence changed.
    @Test func relinkingWritesOnlyWhatChanged() throws {
        let t = try TemporaryStore()
        try t.addPapers(Array(linkingPapers.prefix(2)))
        let (first, _) = try apply(t, linkingTaxonomy)
        #expect(first.added == first.curated + first.lexicon && first.removed == 0)
        try t.addPapers([linkingPapers[2]])
        let (grown, _) = try apply(t, linkingTaxonomy)
        // lovelace2023clip: STUDIES contrastive-vlm and USES_METHOD interpretability, nothing else touched.
        #expect(grown.added == 2 && grown.removed == 0)
        #expect(try t.links("lovelace2023clip") == ["STUDIES contrastive-vlm lexicon", "USES_METHOD interpretability lexicon"])
        // The CLIP model now matches as a phrase of the class: the evidence of both CLIP links changes.
        let renamed = linkingTaxonomy.replacingOccurrences(of: "    models: [CLIP]\n", with: "    phrases: [CLIP]\n")
        #expect(renamed != linkingTaxonomy)
        let (changed, _) = try apply(t, renamed)
        #expect(changed.added == 2 && changed.removed == 2)
        let node = try #require(try t.store.findPaper("lovelace2023clip"))
        let clip = try #require(try t.store.links(ofPaper: node).first { $0.id == "contrastive-vlm" })
        #expect(clip.phrase == "CLIP" && clip.model == nil)
    }

    @Test func unknownCuratedPaperIsAWarning() throws {
        let t = try TemporaryStore()
        let (_, diagnostics) = try apply(t, linkingTaxonomy)
        #expect(diagnostics.map(\.id) == ["link.unknown-paper", "link.unknown-paper"])
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
        #expect(diagnostics.first?.span?.line == 30)
    }

    @Test func ingestorDetectsTaxonomiesAndLinksAfterPapers() throws {
        let t = try TemporaryStore()
        try t.addPapers(linkingPapers)
        let path = try t.file("field.yaml", linkingTaxonomy)
        let ingestor = Ingestor(store: t.store)
        let summary = ingestor.ingest(paths: [path])
        #expect(ingestor.diagnostics.isEmpty)
        #expect(summary.failedFiles == 0 && summary.taxonomies == 1)
        #expect(summary.link?.curated == 3)
        #expect(try t.links("2401.00002") == ["STUDIES diffusion curated", "USES_METHOD probing lexicon"])
    }

    @Test func formatDetectionRecognisesTaxonomies() {
        #expect(InputFormat.detect(prefix: Array("# a field\ntaxonomy: x\nmethods:\n".utf8), path: "field.txt") == .taxonomy)
        #expect(InputFormat.detect(prefix: Array(linkingTaxonomy.utf8), path: "taxonomy") == .taxonomy)
        #expect(InputFormat.detect(prefix: Array("methods: []\n".utf8), path: "t.yml") == .taxonomy)
    }

    @Test func brokenTaxonomyStoresNothing() throws {
        let t = try TemporaryStore()
        let path = try t.file("broken.yaml", linkingTaxonomy.replacingOccurrences(of: "parent: interpretability\n    phrases: [sparse", with: "parent: interpretabilty\n    phrases: [sparse"))
        let ingestor = Ingestor(store: t.store)
        let summary = ingestor.ingest(paths: [path])
        #expect(summary.failedFiles == 1)
        let d = try #require(ingestor.diagnostics.first)
        #expect(d.description.hasPrefix("\(path):7:13: error: unknown parent 'interpretabilty'"))
        #expect(try t.store.stats().nodes.isEmpty)
    }
}
