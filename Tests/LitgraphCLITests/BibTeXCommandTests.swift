// The BibTeX commands through the built binary: ingest with a bad entry (positioned error on stderr,
// exit 1, the rest stored), --cited-by, duplicates, export aliases, export bibtex byte for byte.
import Foundation
import Testing

@Suite(.enabled(if: LitgraphBinary.available, "the litgraph binary is not built: CLI tests skipped"))
struct BibTeXCommandTests {
    static let refs = """
    @string{neurips = "Advances in Neural Information Processing Systems"}

    @inproceedings{vaswani2017attention,
      title     = {Attention Is All You Need},
      author    = {Vaswani, Ashish and Shazeer, Noam},
      booktitle = neurips,
      year      = {2017},
    }

    @misc{broken, title = {Missing an equals sign} year 2020}

    @article{elhage2021mathematical,
      title   = {A Mathematical Framework for Transformer Circuits},
      author  = {Elhage, Nelson and Nanda, Neel},
      journal = {Transformer Circuits Thread},
      year    = 2021,
    }

    @misc{elhage2021framework,
      title  = {A mathematical framework for transformer circuits},
      author = {Nanda, Neel},
      year   = 2021,
    }

    """

    @Test func ingestExportAliasesDuplicates() throws {
        let dir = try LitgraphBinary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("g.sqlite").path
        let bib = dir.appendingPathComponent("refs.bib").path
        try Self.refs.write(toFile: bib, atomically: true, encoding: .utf8)

        let ingest = try LitgraphBinary.run(["ingest", "--db", db, "--cited-by", "lin2025survey", bib])
        #expect(ingest.status == 1)
        #expect(ingest.stderr.contains("\(bib):10:"), "\(ingest.stderr)")
        #expect(ingest.stderr.contains(": error: "))
        #expect(ingest.stderr.contains("3 papers new"), "\(ingest.stderr)")

        let stats = try LitgraphBinary.run(["stats", "--db", db, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: [String: Int]])
        #expect(json["nodes"]?["Paper"] == 4)          // three entries and the citing stub
        #expect(json["edges"]?["CITES"] == 3)

        // Same title, different first author: kept apart and listed.
        let dups = try LitgraphBinary.run(["duplicates", "--db", db])
        #expect(dups.status == 0)
        #expect(dups.stdout.contains("elhage2021mathematical") && dups.stdout.contains("elhage2021framework"))
        #expect(dups.stdout.contains("different first authors"))

        let aliases = try LitgraphBinary.run(["export", "aliases", "--db", db])
        #expect(aliases.stdout.contains("vaswani2017attention\tvaswani2017attention\n"))

        // The entries come back as they were written, with the @string they use.
        let out = dir.appendingPathComponent("out.bib").path
        let export = try LitgraphBinary.run(["export", "bibtex", "--db", db, "--keys", "vaswani2017attention", "--out", out])
        #expect(export.status == 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("@string{neurips = \"Advances in Neural Information Processing Systems\"}"))
        #expect(text.contains("""
        @inproceedings{vaswani2017attention,
          title     = {Attention Is All You Need},
          author    = {Vaswani, Ashish and Shazeer, Noam},
          booktitle = neurips,
          year      = {2017},
        }
        """))
        #expect(!text.contains("elhage"))
    }
}
