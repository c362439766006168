// End-to-end runs of the built `litgraph` binary for the taxonomy commands: ingest of a taxonomy,
// explain, link after an edit, gaps in every format and --cell, a broken taxonomy's diagnostics on
// stderr with a non-zero exit, and the demo on the shipped corpus.
import Foundation
import Testing

let cliTaxonomy = """
methods:
  - id: sae
    name: Sparse autoencoders
    phrases: [sparse autoencoder]
  - id: probing
    name: Probing
    phrases: [linear probe]
model_classes:
  - id: contrastive-vlm
    name: Contrastive VLMs
    models: [CLIP]
  - id: llm
    name: LLMs
    phrases: [language model]
papers:
  - paper: "2401.00002"
    model_classes: [llm]

"""

/// A two-entry Atom feed (the ingest stage's own format) to link against.
let cliFeed = """
<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/abs/2401.00001v1</id>
    <updated>2024-01-02T00:00:00Z</updated>
    <published>2024-01-02T00:00:00Z</published>
    <title>Sparse Autoencoders Find Features in CLIP</title>
    <summary>We train sparse autoencoders on CLIP.</summary>
    <author><name>Ada Lovelace</name></author>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2401.00002v1</id>
    <updated>2024-01-03T00:00:00Z</updated>
    <published>2024-01-03T00:00:00Z</published>
    <title>Linear Probes for CLIP</title>
    <summary>Linear probes read CLIP features.</summary>
    <author><name>Charles Babbage</name></author>
  </entry>
</feed>

"""

@Suite(.serialized) struct TaxonomyCLITests {
    @Test func ingestExplainLinkAndGaps() throws {
        guard LitgraphBinary.path != nil else {
            print("skipping: the litgraph binary is not built")
            return
        }
        let folder = try LitgraphBinary.tempDir()
        defer { try? FileManager.default.removeItem(at: folder) }
        try cliFeed.write(to: folder.appendingPathComponent("feed.xml"), atomically: true, encoding: .utf8)
        try cliTaxonomy.write(to: folder.appendingPathComponent("taxonomy.yaml"), atomically: true, encoding: .utf8)

        let ingest = try LitgraphBinary.run(["ingest", "--db", "g.sqlite", "taxonomy.yaml", "feed.xml"], in: folder)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("linked: 4 taxonomy entries; 2 papers: 1 curated link, 4 lexicon links"))

        let explain = try LitgraphBinary.run(["explain", "--db", "g.sqlite", "2401.00002v1"], in: folder)
        #expect(explain.status == 0)
        #expect(explain.stdout == """
            2401.00002v1: Linear Probes for CLIP
              STUDIES llm              curated in taxonomy.yaml:17
              STUDIES contrastive-vlm  lexicon: title contains "CLIP" (model CLIP); phrase of the entry at taxonomy.yaml:9
              USES_METHOD probing      lexicon: title contains "Linear Probes"; phrase of the entry at taxonomy.yaml:5

            """)

        let cell = try LitgraphBinary.run(["gaps", "--db", "g.sqlite", "--cell", "sae:contrastive-vlm", "--format", "csv"], in: folder)
        #expect(cell.stdout == "year,paper,title\r\n2024,arXiv:2401.00001,Sparse Autoencoders Find Features in CLIP\r\n")

        // Edit the taxonomy: CLIP no longer signals a class, probing gets a `not` for paper 2.
        let edited = cliTaxonomy.replacingOccurrences(of: "    models: [CLIP]\n", with: "")
            .replacingOccurrences(of: "    model_classes: [llm]\n", with: "    model_classes: [llm]\n    not: [probing]\n")
        try edited.write(to: folder.appendingPathComponent("taxonomy.yaml"), atomically: true, encoding: .utf8)
        let link = try LitgraphBinary.run(["link", "--db", "g.sqlite"], in: folder)
        #expect(link.status == 0, "\(link.stderr)")
        #expect(link.stderr.contains("1 curated link, 1 lexicon link (1 removed by 'not')"))
        let after = try LitgraphBinary.run(["explain", "--db", "g.sqlite", "2401.00002", "--format", "json"], in: folder)
        #expect(after.stdout.contains("\"id\":\"llm\"") && !after.stdout.contains("contrastive-vlm") && !after.stdout.contains("probing"))

        for format in ["table", "markdown", "csv", "latex", "json"] {
            let gaps = try LitgraphBinary.run(["gaps", "--db", "g.sqlite", "--format", format], in: folder)
            #expect(gaps.status == 0 && !gaps.stdout.isEmpty, "gaps --format \(format): \(gaps.stderr)")
        }
        let unknown = try LitgraphBinary.run(["gaps", "--db", "g.sqlite", "--cell", "sea:llm"], in: folder)
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown method 'sea'"))
    }

    @Test func brokenTaxonomyGivesPositionedDiagnostics() throws {
        guard LitgraphBinary.path != nil else { return }
        let folder = try LitgraphBinary.tempDir()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = cliTaxonomy.replacingOccurrences(of: "  - id: probing\n", with: "  - id: sae\n")
            .replacingOccurrences(of: "phrases: [linear probe]", with: "phrases: [linear probe")
        try broken.write(to: folder.appendingPathComponent("taxonomy.yaml"), atomically: true, encoding: .utf8)
        let result = try LitgraphBinary.run(["ingest", "--db", "g.sqlite", "taxonomy.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("taxonomy.yaml:8:14: error: YAML syntax error: did not find expected ',' or ']'"),
                "\(result.stderr)")
        let dup = cliTaxonomy.replacingOccurrences(of: "  - id: probing\n", with: "  - id: sae\n")
        try dup.write(to: folder.appendingPathComponent("taxonomy.yaml"), atomically: true, encoding: .utf8)
        let second = try LitgraphBinary.run(["ingest", "--db", "g.sqlite", "taxonomy.yaml"], in: folder)
        #expect(second.status == 1)
        #expect(second.stderr.contains("taxonomy.yaml:5:9: error: duplicate id 'sae'"))
        #expect(second.stderr.contains(" 5 |   - id: sae"))
    }

    @Test func demoOnTheShippedCorpus() throws {
        guard LitgraphBinary.path != nil else { return }
        let corpus = LitgraphBinary.repoRoot.appendingPathComponent("Corpus")
        guard FileManager.default.fileExists(atPath: corpus.appendingPathComponent("taxonomy.yaml").path) else {
            print("skipping: Corpus/ is not in this checkout")
            return
        }
        let folder = try LitgraphBinary.tempDir()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try LitgraphBinary.run(["demo", "--corpus", corpus.path, "--out", "out"], in: folder)
        #expect(result.status == 0, "\(result.stderr.prefix(3000))")
        #expect(result.stdout.contains("== The graph") && result.stdout.contains("Method × model class"))
        for name in ["litgraph.sqlite", "gaps.md", "gaps.tex", "gaps.csv", "corpus.bib", "matrix.dot"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/\(name)").path), "\(name) missing")
        }
        // A second run starts from a fresh database and gives the same report.
        let again = try LitgraphBinary.run(["demo", "--corpus", corpus.path, "--out", "out"], in: folder)
        #expect(again.stdout == result.stdout)
    }
}
