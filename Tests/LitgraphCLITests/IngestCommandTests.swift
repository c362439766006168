import Foundation
import Testing

@Suite(.enabled(if: LitgraphBinary.fixturesAvailable,
                "the litgraph binary (swift build) or ../shared/fixtures/atom is absent: CLI tests skipped"))
struct IngestCommandTests {
    @Test func ingestStatsShowOnTheFixtures() throws {
        let dir = try LitgraphBinary.tempDir()
        let db = dir.appendingPathComponent("g.sqlite").path
        let ingest = try LitgraphBinary.run(["ingest", "--db", db, LitgraphBinary.atomFixtures.path])
        // The two API error feeds fail the run; everything else is stored.
        #expect(ingest.status == 1)
        #expect(ingest.stdout.isEmpty)
        #expect(ingest.stderr.contains("id_abc_s0_m100_b79c8dcf6bc3.body.xml:9:1: error: the arXiv API returned an error: incorrect id format for abc"))
        #expect(ingest.stderr.contains("error: the arXiv API returned an error: incorrect id format for 1234.12345"))
        #expect(ingest.stderr.contains("14 files: 106 papers new, 0 updated, 21 unchanged"))
        #expect(ingest.stderr.contains("2 errors"))

        let stats = try LitgraphBinary.run(["stats", "--db", db, "--format", "json"])
        #expect(stats.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: [String: Int]])
        #expect(Set(json.keys) == ["nodes", "edges"])
        #expect(json["nodes"]?["Paper"] == 106)
        #expect(json["nodes"]?["Source"] == 12)
        #expect(json["nodes"]?["Category"] != nil)
        #expect((json["edges"]?["AUTHORED_BY"] ?? 0) >= 106)
        #expect((json["edges"]?["IN_CATEGORY"] ?? 0) >= 106)

        let table = try LitgraphBinary.run(["stats", "--db", db])
        #expect(table.stdout.contains("Paper"))
        #expect(table.stdout.contains("106"))

        let show = try LitgraphBinary.run(["show", "--db", db, "--format", "json", "http://arxiv.org/abs/astro-ph/0601001v1"])
        #expect(show.status == 0)
        let paper = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        for key in ["arxiv", "version", "doi", "title", "authors", "year", "published", "updated", "primary_category",
                    "categories", "journal_ref", "comment", "abstract", "sources"] {
            #expect(paper.keys.contains(key), "show --format json lacks \(key)")
        }
        #expect(paper["arxiv"] as? String == "astro-ph/0601001")
        #expect(paper["version"] as? Int == 1)
        #expect(paper["authors"] as? [String] == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"])
        #expect(paper["year"] as? Int == 2006)
        #expect(paper["primary_category"] as? String == "astro-ph")
        #expect(paper["journal_ref"] as? String == "ActaAstron.56:1-50,2006")
        #expect((paper["sources"] as? [[String: Any]])?.count == 1)

        let byDOI = try LitgraphBinary.run(["show", "--db", db, "--format", "json", "doi:10.1016/j.physletb.2003.08.045"])
        #expect(byDOI.status == 0)
        #expect(byDOI.stdout.contains("\"arxiv\": \"hep-ph/0301050\""))

        let text = try LitgraphBinary.run(["show", "--db", db, "2202.12139v1"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"))
        #expect(text.stdout.contains("1. Mohit Kumar Ahuja"))

        let missing = try LitgraphBinary.run(["show", "--db", db, "9999.99999"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no paper"))

        // Again: nothing changes.
        let again = try LitgraphBinary.run(["ingest", "--db", db, LitgraphBinary.atomFixtures.path])
        #expect(again.stderr.contains("0 papers new, 0 updated, 127 unchanged"))
        let statsAgain = try LitgraphBinary.run(["stats", "--db", db, "--format", "json"])
        #expect(statsAgain.stdout == stats.stdout)
    }

    @Test func malformedFeedIsPositionedAndStoresNothing() throws {
        let dir = try LitgraphBinary.tempDir()
        let bad = dir.appendingPathComponent("bad.xml").path
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <entry>
                <id>http://arxiv.org/abs/2502.17516v1</id>
                <title>A Survey</titel>
              </entry>
            </feed>
            """.write(toFile: bad, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("g.sqlite").path
        let run = try LitgraphBinary.run(["ingest", bad], environment: ["LITGRAPH_DB": db])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(bad):5:"))
        #expect(run.stderr.contains(": error: malformed XML: Opening and ending tag mismatch"))
        #expect(run.stderr.contains(" 5 |     <title>A Survey</titel>"))
        #expect(run.stderr.contains("^"))
        let stats = try LitgraphBinary.run(["stats", "--format", "json"], environment: ["LITGRAPH_DB": db])
        #expect(stats.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"edges":{},"nodes":{}}"#)
    }

    @Test func badFlagsAreRejected() throws {
        let stats = try LitgraphBinary.run(["stats", "--format", "yaml"])
        #expect(stats.status != 0)
        #expect(stats.stderr.contains("yaml"))
        let ingest = try LitgraphBinary.run(["ingest"])
        #expect(ingest.status != 0)
    }
}
