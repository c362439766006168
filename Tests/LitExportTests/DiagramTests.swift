// Diagrams: every view is valid DOT that the real `dot` lays out without a warning, the same graph
// gives the same bytes, names full of special characters come out intact, and limits say what
// they left out.
import Foundation
import Testing
import LitModel
import LitStore
@testable import LitExport

private func diagram(_ store: GraphStore, _ view: DiagramView, around: String? = nil, depth: Int = 1,
                     limit: Int? = nil, papers: [Int64]? = nil) throws -> String {
    DOTWriter.write(try Diagram.build(DiagramRequest(view: view, papers: papers, around: around, depth: depth, limit: limit), from: store))
}

private func requests(around: String) -> [(DiagramView, String?)] {
    [(.taxonomy, nil), (.citations, nil), (.neighbourhood, around), (.matrix, nil)]
}

/// Lays `dot` out as SVG and expects exit 0 with nothing on stderr.
private func expectDotAccepts(_ text: String, _ what: String) throws -> String {
    let result = try ExternalTools.run("dot", ["-Tsvg"], input: text)
    #expect(result.status == 0, "\(what): dot exited \(result.status): \(result.stderr)")
    #expect(result.stderr.isEmpty, "\(what): dot warned: \(result.stderr)")
    return result.stdout
}

@Suite struct DOTEscapingTests {
    @Test func quotedStringsEscapeQuotesBackslashesAndLineBreaks() {
        #expect(DOT.quoted(#"say "hi" \ {x}"#) == #""say \"hi\" \\ {x}""#)
        #expect(DOT.quoted("two\nlines") == #""two\nlines""#)
        #expect(DOT.quoted("bell\u{07}tab\t") == #""belltab ""#)
        #expect(DOT.quoted("Zoë α") == "\"Zoë α\"")
    }

    @Test func htmlTextEscapesMarkup() {
        #expect(DOT.html(#"<a> & "b" 'c'"#) == "&lt;a&gt; &amp; &quot;b&quot; &#39;c&#39;")
        #expect(DOT.html("x\ny") == "x<BR/>y")
    }

    @Test func writerSortsEverything() {
        var a = DOTGraph(name: "g")
        a.nodes = [DOTNode("b", ["label": .text("B"), "color": .text("red")]), DOTNode("a")]
        a.edges = [DOTEdge("b", "a"), DOTEdge("a", "b")]
        a.clusters = [DOTCluster("z", nodes: ["b"]), DOTCluster("y", nodes: [])]
        var b = a
        b.nodes.reverse(); b.edges.reverse(); b.clusters.reverse()
        #expect(DOTWriter.write(a) == DOTWriter.write(b))
        #expect(DOTWriter.write(a) == """
            digraph "g" {
              subgraph "cluster_y" {
              }
              subgraph "cluster_z" {
                "b" [color="red", label="B"];
              }
              "a";
              "a" -> "b";
              "b" -> "a";
            }

            """)
    }

    @Test func wrappingCutsLongTitlesWithAnEllipsis() {
        #expect(Diagram.wrapped("A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models", width: 26, lines: 2)
                == "A Survey on Mechanistic\nInterpretability for…")
        #expect(Diagram.wrapped("Short  title", width: 26, lines: 2) == "Short title")
    }
}

@Suite struct DiagramTests {
    @Test(.enabled(if: ExternalTools.hasDot, "Graphviz `dot` is not installed: apt-get install graphviz"))
    func everyViewOfTheSmallGraphLaysOutWithoutWarnings() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        for (view, around) in requests(around: "lin2025survey") {
            _ = try expectDotAccepts(try diagram(db.store, view, around: around), "small \(view)")
        }
        _ = try expectDotAccepts(try diagram(db.store, .neighbourhood, around: "basu2023", depth: 3), "depth 3")
    }

    @Test(.enabled(if: ExternalTools.hasDot, "Graphviz `dot` is not installed: apt-get install graphviz"))
    func everyViewOfAGenerated10kGraphLaysOutWithoutWarnings() throws {
        let db = try TemporaryStore()
        try SampleGraphs.generated(db.store, papers: 10_000)
        for (view, around) in requests(around: "paper5000") {
            let text = try diagram(db.store, view, around: around, depth: 2)
            _ = try expectDotAccepts(text, "10k \(view)")
        }
    }

    @Test func sameGraphGivesSameBytesWhateverTheInsertionOrder() throws {
        let one = try TemporaryStore(), two = try TemporaryStore()
        try SampleGraphs.small(one.store)
        try SampleGraphs.small(two.store, reversed: true)
        for (view, around) in requests(around: "2502.17516") {
            let first = try diagram(one.store, view, around: around)
            #expect(first == (try diagram(one.store, view, around: around)), "\(view) changed between two runs")
            #expect(first == (try diagram(two.store, view, around: around)), "\(view) depends on insertion order")
        }
    }

    @Test(.enabled(if: ExternalTools.hasDot, "Graphviz `dot` is not installed: apt-get install graphviz"))
    func specialCharactersSurviveIntoTheRenderedPicture() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let citations = ExternalTools.unescapedSVG(try expectDotAccepts(try diagram(db.store, .citations), "citations"))
        #expect(citations.contains(SampleGraphs.trickyTitle), "the tricky title is not drawn intact")
        #expect(citations.contains("Müller-Lüdenscheidt 2024"))
        #expect(citations.contains(SampleGraphs.trickyMethod), "the legend lost the tricky method name")
        let matrix = ExternalTools.unescapedSVG(try expectDotAccepts(try diagram(db.store, .matrix), "matrix"))
        #expect(matrix.contains(SampleGraphs.trickyMethod))
        let taxonomy = ExternalTools.unescapedSVG(try expectDotAccepts(try diagram(db.store, .taxonomy), "taxonomy"))
        #expect(taxonomy.contains(SampleGraphs.trickyMethod))
    }

    @Test func citationsViewRanksByYearClustersByClassAndColoursByMethod() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let text = try diagram(db.store, .citations)
        #expect(text.contains(#"{ rank=same; "paper:basu2023"; "paper:gandelsman2023"; "paper:palit2023"; "year 2023"; }"#))
        // Contrastive VLMs is the most studied class: the first outline colour, named in the legend.
        #expect(text.contains(#""paper:sae2024" [URL"#) == false)
        #expect(text.contains(##"<TD BGCOLOR="#1B5E20" WIDTH="16"> </TD><TD ALIGN="LEFT">Contrastive VLMs</TD>"##))
        #expect(text.contains(##"color="#1B5E20""##))
        #expect(text.contains(#"label="Lin et al. 2025\nA Survey on Mechanistic\nInterpretability for…""#))
        // causal-tracing is the most common method: the first colour.
        #expect(text.contains(#""paper:basu2023" [URL="#) == false)
        #expect(text.contains("fillcolor=\"\(Diagram.palette[0])\""))
        #expect(text.contains(#""paper:basu2023" -> "paper:lin2025survey" [dir="back"];"#))
    }

    @Test func limitsKeepTheMostCitedAndSayWhatWasLeftOut() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let text = try diagram(db.store, .citations, limit: 3)
        #expect(text.contains("Showing 3 of 8 papers, the most cited of each year (papers in no citation last): 5 left out"))
        // The most cited of the three newest years: lin2025survey (2025, uncited), sae2024 (2024,
        // cited once, ties with tricky2024 broken by key) and basu2023 (2023, cited 3 times).
        for key in ["basu2023", "lin2025survey", "sae2024"] { #expect(text.contains("\"paper:\(key)\" [")) }
        #expect(!text.contains("\"paper:gandelsman2023\" ["))
        #expect(!text.contains("\"paper:tricky2024\" ["))
        let matrix = try diagram(db.store, .matrix, limit: 2)
        #expect(matrix.contains("Showing the 2 methods with most papers of 4: 2 left out"))
        let taxonomy = try diagram(db.store, .taxonomy, limit: 1)
        #expect(taxonomy.contains("Showing the 1 heaviest of"))
    }

    @Test func neighbourhoodFollowsCitationsBothWaysToTheDepth() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let one = try diagram(db.store, .neighbourhood, around: "basu2023", depth: 1)
        for key in ["basu2023", "lin2025survey", "tricky2024", "palit2023", "nolink2022"] { #expect(one.contains("\"paper:\(key)\" [")) }
        #expect(!one.contains("\"paper:sae2024\" ["))
        #expect(one.contains("3 citing papers, 1 cited paper"))
        let two = try diagram(db.store, .neighbourhood, around: "old:basu2023", depth: 2)
        #expect(two.contains("\"paper:basu2023\" ["))
        #expect(!two.contains("\"paper:sae2024\" ["), "sae2024 cites a sibling, not basu2023")
        #expect(throws: Diagnostic.self) { try diagram(db.store, .neighbourhood, around: "nosuchpaper") }
        #expect(throws: Diagnostic.self) { try diagram(db.store, .neighbourhood, around: "clip") }
    }

    @Test func matrixMarksEmptyCellsAsGaps() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let text = try diagram(db.store, .matrix)
        #expect(text.contains("(5 empty cells of 12)"))
        #expect(text.contains("4 methods × 3 model classes"))
        #expect(text.contains("Causal tracing on Text-to-image diffusion: 1 paper"))
        #expect(text.contains("Sparse autoencoders on Generative VLMs: no paper (a gap)"))
    }

    @Test func selectionRestrictsTheCounts() throws {
        let db = try TemporaryStore()
        let ids = try SampleGraphs.small(db.store)
        let text = try diagram(db.store, .citations, papers: [ids["lin2025survey"]!, ids["basu2023"]!])
        #expect(text.contains("Citations among 2 papers"))
        let matrix = try diagram(db.store, .matrix, papers: [ids["basu2023"]!])
        #expect(matrix.contains("(11 empty cells of 12)"))
    }
}
