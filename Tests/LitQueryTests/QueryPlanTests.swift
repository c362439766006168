// The domain's hot paths use the store's indexes: SQLite's own query plan for the generated SQL
// names the expression index on `arxiv` and the edge indexes for citation traversal.
import Foundation
import Testing
import LitQuery

@Suite("Query plans use the indexes")
struct QueryPlanTests {
    static func citationGraph() throws -> ScratchStore {
        let s = try ScratchStore()
        try s.run("UNWIND range(1, 400) AS i CREATE (:Paper {arxiv: '2401.' + toString(10000 + i), year: 2000 + i % 25})")
        // Paper i cites papers i-1 and i-7.
        for gap in [1, 7] {
            try s.run("""
                UNWIND range(\(gap + 1), 400) AS i
                MATCH (a:Paper {arxiv: '2401.' + toString(10000 + i)}), (b:Paper {arxiv: '2401.' + toString(10000 + i - \(gap))})
                CREATE (a)-[:CITES]->(b)
                """)
        }
        try s.store.write { db in try db.execute(sql: "ANALYZE") }
        return s
    }

    @Test func paperLookupByArxivUsesTheExpressionIndex() throws {
        let s = try Self.citationGraph()
        let compiled = try QueryEngine.compile("MATCH (p:Paper {arxiv: $id}) RETURN p.year", parameters: ["id": .string("2401.10200")])
        let plan = try QueryEngine.queryPlan(compiled, on: s.store)
        #expect(plan.contains { $0.contains("node_prop_arxiv") }, "plan: \(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN n") }, "plan: \(plan)")
        #expect(try s.rows("MATCH (p:Paper {arxiv: $id}) RETURN p.year", ["id": .string("2401.10200")]) == ["2000"])
        // The same through WHERE.
        let viaWhere = try QueryEngine.compile("MATCH (p:Paper) WHERE p.arxiv = $id RETURN p", parameters: ["id": .string("2401.10200")])
        #expect(try QueryEngine.queryPlan(viaWhere, on: s.store).contains { $0.contains("node_prop_arxiv") })
    }

    @Test func citationTraversalUsesTheEdgeIndexes() throws {
        let s = try Self.citationGraph()
        let query = "MATCH (p:Paper {arxiv: $id})<-[:CITES*1..3]-(q:Paper) RETURN count(DISTINCT q)"
        let compiled = try QueryEngine.compile(query, parameters: ["id": .string("2401.10200")])
        let plan = try QueryEngine.queryPlan(compiled, on: s.store)
        #expect(plan.contains { $0.contains("node_prop_arxiv") }, "plan: \(plan)")
        #expect(plan.contains { $0.contains("edge_in") }, "plan: \(plan)")
        // 200 is cited by 201 and 207; within three hops: 201..203, 207..209, 208, 214, 215, 221 …
        let count = try s.rows(query, ["id": .string("2401.10200")])
        #expect(count == ["9"])
        let fixed = try QueryEngine.compile("MATCH (p:Paper {arxiv: $id})-[:CITES]->(q) RETURN q.arxiv", parameters: ["id": .string("2401.10200")])
        #expect(try QueryEngine.queryPlan(fixed, on: s.store).contains { $0.contains("edge_out") })
    }

    @Test func groupByMethodAndCategorySeeksTheEdgeIndexes() throws {
        let s = try Self.citationGraph()
        try s.run("UNWIND range(1, 5) AS i CREATE (:Method {id: 'm' + toString(i)}), (:Category {id: 'cs.C' + toString(i)})")
        try s.run("""
            MATCH (p:Paper), (m:Method {id: 'm' + toString(toInteger(substring(p.arxiv, 7)) % 5 + 1)}),
                  (c:Category {id: 'cs.C' + toString(toInteger(substring(p.arxiv, 7)) % 3 + 1)})
            CREATE (p)-[:USES_METHOD]->(m), (p)-[:IN_CATEGORY]->(c)
            """)
        try s.store.write { db in try db.execute(sql: "ANALYZE") }
        let query = """
            MATCH (p:Paper)-[:USES_METHOD]->(m:Method), (p)-[:IN_CATEGORY]->(c:Category)
            RETURN m.id AS method, c.id AS category, count(DISTINCT p) AS papers ORDER BY method, category
            """
        let plan = try QueryEngine.queryPlan(try QueryEngine.compile(query), on: s.store)
        #expect(plan.contains { $0.contains("edge_out") || $0.contains("edge_in") }, "plan: \(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN e") || $0.hasPrefix("SCAN n") }, "plan: \(plan)")
        let rows = try s.rows(query)
        #expect(rows.count == 15)
        #expect(rows.first == "'m1' | 'cs.C1' | 26")
    }

    /// The closures of the gap matrix's `-[:SPECIALISES*0..]->` are walked from their rows, each
    /// finding its node by id: no scan of every node for those in a closure.
    @Test func hoistedClosureFindsItsNodesById() throws {
        let s = try Self.citationGraph()
        try s.run("UNWIND range(1, 6) AS i CREATE (:Method {id: 'm' + toString(i)}), (:ModelClass {id: 'c' + toString(i)})")
        try s.run("MATCH (a:Method), (b:Method) WHERE a.id IN ['m2', 'm3'] AND b.id = 'm1' CREATE (a)-[:SPECIALISES]->(b)")
        try s.run("MATCH (a:ModelClass), (b:ModelClass) WHERE a.id = 'c2' AND b.id = 'c1' CREATE (a)-[:SPECIALISES]->(b)")
        try s.run("""
            MATCH (p:Paper), (m:Method {id: 'm' + toString(toInteger(substring(p.arxiv, 7)) % 6 + 1)}),
                  (c:ModelClass {id: 'c' + toString(toInteger(substring(p.arxiv, 7)) % 4 + 1)})
            CREATE (p)-[:USES_METHOD]->(m), (p)-[:STUDIES]->(c)
            """)
        try s.store.write { db in try db.execute(sql: "ANALYZE") }
        let query = """
            MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method)
            WITH p, collect(DISTINCT m.id) AS methods
            MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(c:ModelClass)
            WITH p, methods, collect(DISTINCT c.id) AS model_classes
            RETURN p.year AS year, methods, model_classes
            """
        let compiled = try QueryEngine.compile(query)
        #expect(compiled.sqlText.components(separatedBy: "AS v CROSS JOIN node AS ").count == 3, "\(compiled.sqlText)")
        let plan = try QueryEngine.queryPlan(compiled, on: s.store)
        #expect(!plan.contains { $0.hasPrefix("SCAN n") }, "plan: \(plan)")
        let rows = try s.rows(query)
        #expect(rows.count == 400)
        // Paper 2401.10002: method m3 (under m1), class c3.
        #expect(rows.contains("2002 | ['m3', 'm1'] | ['c3']") || rows.contains("2002 | ['m1', 'm3'] | ['c3']"), "\(rows.prefix(5))")
    }
}
