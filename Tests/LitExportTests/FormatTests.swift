// Exports for other tools: GraphML that xmllint accepts, JSON with typed values, Neo4j CSV whose
// headers and row counts match the graph, and selections from a LaTeX .aux file.
import Foundation
import Testing
import LitModel
import LitStore
@testable import LitExport

/// Splits CSV text into records of fields (quoted fields may hold commas, quotes and line breaks).
private func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = [], record: [String] = [], field = ""
    var quoted = false, wasQuoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" {
            quoted = true; wasQuoted = true
        } else if c == "," {
            record.append(field); field = ""; wasQuoted = false
        } else if c == "\n" {
            record.append(field); records.append(record); record = []; field = ""; wasQuoted = false
        } else { field.append(c) }
    }
    if !field.isEmpty || wasQuoted || !record.isEmpty { record.append(field); records.append(record) }
    return records
}

@Suite struct FormatTests {
    @Test(.enabled(if: ExternalTools.hasXmllint, "xmllint is not installed: apt-get install libxml2-utils"))
    func graphMLValidatesAndHoldsEveryNodeAndEdge() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let out = db.file("graph.graphml")
        let counts = try GraphMLWriter.write(db.store, to: try FileOutput(path: out))
        let check = try ExternalTools.run("xmllint", ["--noout", out])
        #expect(check.status == 0 && check.stderr.isEmpty, "xmllint: \(check.stderr)")
        let (nodes, edges) = try db.store.readGraph { try $0.counts() }
        #expect(counts.nodes == 27 && counts.edges == 37)
        let nodeCount = try ExternalTools.run("xmllint", ["--xpath", "count(//*[local-name()='node'])", out])
        let edgeCount = try ExternalTools.run("xmllint", ["--xpath", "count(//*[local-name()='edge'])", out])
        #expect(Int(nodeCount.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == nodes.values.reduce(0, +))
        #expect(Int(edgeCount.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == edges.values.reduce(0, +))
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains(#"attr.name="year" attr.type="int""#))
        #expect(text.contains(#"attr.name="stub" attr.type="boolean""#))
        #expect(text.contains(#"attr.name="score" attr.type="double""#))
        #expect(text.contains("Say &quot;Hi&quot; \\ {x} &lt;y&gt; &amp; Zoë"))
        #expect(text.contains(#"<data key="labels">:Paper</data>"#))
        // Same graph, same bytes.
        let again = StringOutput()
        try GraphMLWriter.write(db.store, to: again)
        #expect(again.text == text)
    }

    @Test func jsonKeepsTypesAndEveryNodeAndEdge() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let output = StringOutput()
        try GraphJSONWriter.write(db.store, to: output)
        guard case .object(let document)? = JSONValue.parse(output.text),
              case .array(let nodes)? = document["nodes"], case .array(let edges)? = document["edges"] else {
            Issue.record("not a JSON document with nodes and edges")
            return
        }
        #expect(nodes.count == 27 && edges.count == 37)
        let survey = nodes.compactMap(\.objectValue).first { $0["properties"]?.objectValue?["key"] == .string("lin2025survey") }
        let props = survey?["properties"]?.objectValue ?? [:]
        #expect(survey?["labels"] == .array([.string("Paper")]))
        #expect(props["year"] == .int(2025))
        #expect(props["score"] == .double(1.0))
        #expect(props["versions"] == .array([.int(1), .int(2)]))
        let stub = nodes.compactMap(\.objectValue).first { $0["properties"]?.objectValue?["key"] == .string("stub2021") }
        #expect(stub?["properties"]?.objectValue?["stub"] == .bool(true))
        #expect(output.text.contains(#""title":"Say \"Hi\" \\ {x} <y> & Zoë""#))
        let cites = edges.compactMap(\.objectValue).filter { $0["type"] == .string("CITES") }
        #expect(cites.count == 10)
        #expect(cites.first?["properties"]?.objectValue?["line"] == .int(3))
    }

    @Test func neo4jCSVHeadersAndRowsMatchTheGraph() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let dir = db.file("neo4j")
        let summary = try Neo4jCSVWriter.write(db.store, toDirectory: dir)
        let (nodes, edges) = try db.store.readGraph { try $0.counts() }
        #expect(summary.nodes == nodes.values.reduce(0, +))
        #expect(summary.relationships == edges.values.reduce(0, +))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["import.sh"] + (nodes.keys.map { "nodes_\($0).csv" } + edges.keys.map { "relationships_\($0).csv" }).sorted())
        for (label, n) in nodes {
            let rows = parseCSV(try String(contentsOfFile: "\(dir)/nodes_\(label).csv", encoding: .utf8))
            #expect(rows.count == n + 1, "nodes_\(label).csv")
            #expect(Array(rows[0].prefix(2)) == [":ID", ":LABEL"])
            #expect(rows.dropFirst().allSatisfy { $0.count == rows[0].count && $0[1] == label })
        }
        for (type, n) in edges {
            let rows = parseCSV(try String(contentsOfFile: "\(dir)/relationships_\(type).csv", encoding: .utf8))
            #expect(rows.count == n + 1, "relationships_\(type).csv")
            #expect(Array(rows[0].prefix(3)) == [":START_ID", ":END_ID", ":TYPE"])
            #expect(rows.dropFirst().allSatisfy { $0.count == rows[0].count && $0[2] == type })
        }
        let papers = parseCSV(try String(contentsOfFile: "\(dir)/nodes_Paper.csv", encoding: .utf8))
        #expect(papers[0] == [":ID", ":LABEL", "abstract", "arxiv", "bibkeys:string[]", "key", "score:double", "stub:boolean", "title", "versions:int[]", "year:int"])
        let survey = papers.first { $0[5] == "lin2025survey" }!
        #expect(survey[2] == "Two lines\nof abstract, with \"quotes\", commas; and semicolons.")
        #expect(survey[4] == "lin2025survey;LIN2025SURVEY" && survey[9] == "1;2" && survey[10] == "2025")
        #expect(papers.first { $0[5] == "tricky2024" }![8] == SampleGraphs.trickyTitle)
        let cites = parseCSV(try String(contentsOfFile: "\(dir)/relationships_CITES.csv", encoding: .utf8))
        #expect(cites[0] == [":START_ID", ":END_ID", ":TYPE", "line:int", "via"])
        let script = try String(contentsOfFile: "\(dir)/import.sh", encoding: .utf8)
        #expect(script.contains("--nodes=nodes_Paper.csv") && script.contains("--relationships=relationships_CITES.csv"))
    }

    @Test func auxCitationsSelectPapersThroughOldKeysAndReportTheRest() throws {
        let db = try TemporaryStore()
        let ids = try SampleGraphs.small(db.store)
        let aux = db.file("paper.aux"), chapter = db.file("chapter.aux")
        try """
            \\relax
            \\citation{old:basu2023,lin2025survey}
            \\citation{ nosuchkey }
            \\@input{chapter.aux}
            \\bibstyle{plain}
            """.write(toFile: aux, atomically: true, encoding: .utf8)
        try "\\abx@aux@cite{0}{SAE2024}\n\\citation{2502.17516}\n".write(toFile: chapter, atomically: true, encoding: .utf8)
        let selection = try PaperSelector.citedIn(auxFile: aux, store: db.store)
        #expect(selection.papers == [ids["lin2025survey"]!, ids["basu2023"]!, ids["sae2024"]!].sorted())
        #expect(selection.diagnostics.count == 1, "\(selection.diagnostics)")
        let warning = selection.diagnostics.first
        #expect(warning?.severity == .warning)
        #expect(warning?.span == SourceSpan(file: aux, line: 3, column: 12, length: 9))
        #expect(warning?.description.contains("no paper in the graph answers to the key 'nosuchkey'") == true)
        #expect(throws: Diagnostic.self) { try PaperSelector.citedIn(auxFile: db.file("missing.aux"), store: db.store) }
        try "\\citation{*}\n".write(toFile: aux, atomically: true, encoding: .utf8)
        #expect(try PaperSelector.citedIn(auxFile: aux, store: db.store).papers.count == 8)
    }
}
