// Selecting papers by query: nodes returned in any column, saved queries that return keys, errors
// from the query engine, and the selection restricting a diagram.
import Foundation
import Testing
import LitModel
import LitQuery
import LitStore
@testable import LitExport

@Suite struct QuerySelectionTests {
    func store() throws -> (TemporaryStore, GraphStore, [String: Int64]) {
        let db = try TemporaryStore()
        let ids = try SampleGraphs.small(db.store)
        return (db, try QueryEngine.open(path: db.path, readonly: true), ids)
    }

    @Test func papersReturnedAsNodesAreSelected() throws {
        let (_, store, ids) = try store()
        let selection = try PaperSelector.papers(matching: """
            MATCH (p:Paper)-[:USES_METHOD]->(:Method {id: $method}) RETURN p
            """, parameters: ["method": .string("causal-tracing")], on: store)
        #expect(selection.papers == [ids["lin2025survey"]!, ids["basu2023"]!, ids["palit2023"]!].sorted())
        #expect(selection.diagnostics.isEmpty)
        let collected = try PaperSelector.papers(matching: "MATCH (p:Paper) WHERE p.year = 2023 RETURN collect(p) AS ps", on: store)
        #expect(collected.papers.count == 3)
    }

    @Test func papersNamedByKeyAreSelected() throws {
        let (_, store, ids) = try store()
        let selection = try PaperSelector.papers(matching: "MATCH (p:Paper) WHERE p.year >= 2024 RETURN p.key AS key", on: store)
        #expect(selection.papers == [ids["lin2025survey"]!, ids["tricky2024"]!, ids["sae2024"]!].sorted())
        #expect(throws: Diagnostic.self) { try PaperSelector.papers(matching: "MATCH (p:Paper) RETURN p.title", on: store) }
    }

    @Test func emptyResultsWarnAndBadQueriesThrow() throws {
        let (_, store, _) = try store()
        let none = try PaperSelector.papers(matching: "MATCH (p:Paper) WHERE p.year > 3000 RETURN p", on: store)
        #expect(none.papers.isEmpty && none.diagnostics.first?.id == "export.query.empty")
        #expect(throws: QueryError.self) { try PaperSelector.papers(matching: "MATCH (p:Paper RETURN p", on: store) }
    }

    @Test func savedQueriesResolveByName() throws {
        let inline = try QuerySource.resolve("MATCH (p:Paper) RETURN p")
        #expect(inline == QuerySource(text: "MATCH (p:Paper) RETURN p", file: "<query>"))
        #expect(throws: Diagnostic.self) { try QuerySource.resolve("no-such-saved-query") }
        // $LITGRAPH_QUERIES is searched before Queries/.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-queries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "MATCH (p:Paper) RETURN p.key AS key".write(to: folder.appendingPathComponent("mine.cypher"), atomically: true, encoding: .utf8)
        let saved = try QuerySource.resolve("mine", environment: ["LITGRAPH_QUERIES": folder.path])
        #expect(saved == QuerySource(text: "MATCH (p:Paper) RETURN p.key AS key", file: folder.appendingPathComponent("mine.cypher").path))
        #expect(throws: Diagnostic.self) { try QuerySource.resolve("mine", environment: [:]) }
    }

    @Test func aQuerySelectionRestrictsTheCitationDiagram() throws {
        let (_, store, _) = try store()
        let selection = try PaperSelector.papers(matching: "MATCH (p:Paper)-[:STUDIES]->(:ModelClass {id: 'clip'}) RETURN p", on: store)
        let text = DOTWriter.write(try Diagram.build(DiagramRequest(view: .citations, papers: selection.papers,
                                                                    selectionNote: selection.description), from: store))
        #expect(text.contains("Citations among 4 papers selected by MATCH (p:Paper)-[:STUDIES]->(:ModelClass {id: 'clip'}) RETURN p"))
        #expect(!text.contains("\"paper:basu2023\" ["))
    }
}
