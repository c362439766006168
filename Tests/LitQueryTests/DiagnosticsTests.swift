// Errors on the query text: syntax and semantic errors carry a line, a column, a caret and, where
// one fits, a suggestion; the parser recovers and reports an error per broken clause.
import Foundation
import Testing
import LitModel
@testable import LitQuery

@Suite("Query diagnostics")
struct DiagnosticsTests {
    func error(_ query: String) -> QueryError? {
        do {
            _ = try QueryEngine.compile(query)
            return nil
        } catch let e as QueryError {
            return e
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    func position(_ query: String) -> (String, Int, Int, [String])? {
        guard let e = error(query), let span = e.diagnostic(source: query).span else { return nil }
        return (e.detail, span.line, span.column, e.notes)
    }

    @Test func missingParenthesisPointsAtTheNextToken() throws {
        let p = try #require(position("MATCH (n:Paper RETURN n"))
        #expect(p.0 == "UnexpectedSyntax")
        #expect((p.1, p.2) == (1, 16))
        let e = try #require(error("MATCH (n:Paper RETURN n"))
        #expect(e.message == "expected ')', found 'RETURN'")
    }

    @Test func positionsOnLaterLines() throws {
        let p = try #require(position("MATCH (p:Paper)\nWHERE p.year >\nRETURN p"))
        #expect((p.0, p.1, p.2) == ("UnexpectedSyntax", 3, 1))
        let q = try #require(position("MATCH (p:Paper)\n  RETURN p.title,\n         p.yeer + q"))
        #expect((q.0, q.1, q.2) == ("UndefinedVariable", 3, 19))
    }

    @Test func undefinedVariableSuggestsTheClosestName() throws {
        let p = try #require(position("MATCH (paper:Paper) RETURN papr.title"))
        #expect((p.0, p.1, p.2) == ("UndefinedVariable", 1, 28))
        #expect(p.3 == ["did you mean 'paper'?"])
    }

    @Test func semanticErrorsAreClassifiedAndPositioned() throws {
        let conflict = try #require(position("MATCH (a)-[a]->() RETURN a"))
        #expect((conflict.0, conflict.1, conflict.2) == ("VariableTypeConflict", 1, 10))
        let aggregate = try #require(position("MATCH (p) WHERE count(p) > 1 RETURN p"))
        #expect((aggregate.0, aggregate.2) == ("InvalidAggregation", 17))
        let literal = try #require(position("RETURN 1 OR true"))
        #expect((literal.0, literal.2) == ("InvalidArgumentType", 8))
        let limit = try #require(position("MATCH (p) RETURN p LIMIT -1"))
        #expect((limit.0, limit.2) == ("NegativeIntegerArgument", 26))
        let number = try #require(position("RETURN 9223372036854775808"))
        #expect((number.0, number.2) == ("IntegerOverflow", 8))
        #expect(error("MATCH (p) MERGE (p)-[:T]->()")?.isUnsupported == true)
    }

    @Test func parserRecoversAndReportsEachBrokenClause() {
        let errors = QueryEngine.check("MATCH (a RETURN a\nUNWIND [1, 2] AS x\nRETURN x +")
        #expect(errors.count == 2)
        #expect(errors.map(\.detail) == ["UnexpectedSyntax", "UnexpectedSyntax"])
    }

    @Test func renderedDiagnosticHasACaretUnderTheSpan() throws {
        let query = "MATCH (paper:Paper)\nRETURN papr.title"
        let e = try #require(error(query))
        let text = e.diagnostic(source: query, file: "q.cypher").rendered(source: query)
        #expect(text == """
            q.cypher:2:8: error: variable 'papr' is not defined
             2 | RETURN papr.title
               |        ^~~~
              note: did you mean 'paper'?
            """)
    }

    @Test func unknownLabelWarningSuggestsALabelOfTheGraph() throws {
        let s = try ScratchStore()
        try s.run("CREATE (:Paper {title: 'x'})-[:CITES]->(:Paper)")
        let warnings = try QueryLinter.warnings(for: "MATCH (p:Paprr)-[:CITE]->(q) RETURN p.titel", store: s.store, checkProperties: true)
        #expect(warnings.map(\.message) == ["no label 'Paprr' in the graph", "no relationship type 'CITE' in the graph",
                                            "no property key 'titel' in the graph"])
        #expect(warnings.map(\.notes) == [["did you mean 'Paper'?"], ["did you mean 'CITES'?"], ["did you mean 'title'?"]])
        #expect(warnings.map { $0.span?.column ?? 0 } == [10, 19, 39])
        #expect(warnings.allSatisfy { $0.severity == .warning })
    }
}
