// A WITH or RETURN that adds one aggregate to the rows of an earlier aggregation, grouped by that
// aggregation's single key, compiles to a correlated subquery per earlier row instead of a join
// grouped again. Each query is compared with a form the rewrite does not apply to (a carried
// variable wrapped in coalesce()) on the small taxonomy-like graph of ClosureHoistingTests: rows
// without a match dropped, duplicate relationships, nulls, several aggregates' semantics.
import Foundation
import Testing
@testable import LitQuery

@Suite("Aggregates added by a correlated subquery")
struct CorrelatedAggregateTests {
    /// Queries where `CARRY(x)` is a carried variable: as `x` the rewrite applies, as
    /// `coalesce(x, x)` it does not.
    static let queries = [
        // The gap matrix's shape, with rows of the first aggregation that the second MATCH drops.
        """
        MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method)
        WITH p, collect(DISTINCT m.id) AS methods
        MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(c:ModelClass)
        WITH p, CARRY(methods), collect(DISTINCT c.id) AS model_classes
        RETURN p.year AS year, methods, model_classes
        """,
        // Counts with repeated relationships, a renamed key, RETURN as the projection.
        """
        MATCH (p:Paper)-[:USES_METHOD]->(m)
        WITH p, count(m) AS n
        MATCH (p)-[:USES_METHOD]->(x)
        RETURN p, CARRY(n), count(*) AS rows
        """,
        """
        MATCH (p:Paper)-[:USES_METHOD]->(m)
        WITH p, count(DISTINCT m) AS n
        MATCH (p)-[:STUDIES]->(c)-[:SPECIALISES]->(parent)
        WITH p AS q, CARRY(n), count(DISTINCT parent) AS parents
        RETURN q.year AS year, n, parents
        """,
        // Aggregates that can be null on rows that exist; a WHERE in the MATCH; a missing property;
        // an aggregate of the earlier row's values only (the rewrite must leave it to the join).
        """
        MATCH (p:Paper)-[:USES_METHOD]->(m)
        WITH p, collect(m.id) AS ms
        MATCH (p)-[:USES_METHOD]->(x) WHERE x.id IS NULL OR x.id <> 'root'
        WITH p, CARRY(ms), max(x.missing) AS hi
        RETURN p.year AS year, ms, hi
        """,
        """
        MATCH (p:Paper)-[:USES_METHOD]->(m)
        WITH p, collect(m.id) AS ms
        MATCH (p)-[:USES_METHOD]->(x)
        WITH p, CARRY(ms), sum(p.year) AS s
        RETURN p.year AS year, ms, s
        """,
        // Two matches in a row and a node carried to the end.
        """
        MATCH (p:Paper)-[:STUDIES]->(c)
        WITH p, count(c) AS n
        MATCH (p)-[:USES_METHOD]->(m), (m)-[:SPECIALISES]->(root)
        WITH p, CARRY(n), collect(root.id) AS roots
        MATCH (p)-[:STUDIES]->(c)
        WITH p, CARRY(n), CARRY(roots), min(c.id) AS first
        RETURN p, n, roots, first
        """,
    ]

    /// What the rewrite writes: the earlier rows kept when the MATCH has a row for them, told by
    /// the aggregate's value for count() and collect() (never null on rows that exist): the
    /// subquery's rows kept apart by LIMIT and filtered on it.
    static let marker = "\n  LIMIT -1)\n  WHERE "
    /// The same for an aggregate that can be null on rows that exist (max, min, …): EXISTS.
    static let existsMarker = "WHERE EXISTS (SELECT 1\n"

    @Test(arguments: queries)
    func correlatedAggregateGivesTheRowsOfTheJoin(_ query: String) throws {
        let s = try ClosureHoistingTests.graph()
        let correlated = query.replacingOccurrences(of: #"CARRY\(([a-z]+)\)"#, with: "$1", options: .regularExpression)
        let joined = query.replacingOccurrences(of: #"CARRY\(([a-z]+)\)"#, with: "coalesce($1, $1) AS $1", options: .regularExpression)
        let correlatedSQL = try QueryEngine.compile(correlated).sqlText, joinedSQL = try QueryEngine.compile(joined).sqlText
        let nullable = correlated.contains("max(") || correlated.contains("min(")
        #expect(correlatedSQL.contains(Self.marker) == !(correlated.contains("sum(p.year)") || correlated.contains("max(")), "\(correlated)")
        #expect(correlatedSQL.contains(Self.existsMarker) == nullable, "\(correlated)")
        #expect(correlatedSQL.contains(Self.marker) ? correlatedSQL.contains(" IS NOT NULL") : true, "\(correlated)")
        #expect(!joinedSQL.contains(Self.marker) && !joinedSQL.contains(Self.existsMarker), "\(joined)")
        let expected = ClosureHoistingTests.normalized(try s.run(joined))
        #expect(ClosureHoistingTests.normalized(try s.run(correlated)) == expected)
        #expect(!expected.isEmpty)
    }

    /// Only one aggregate call over the earlier key, with the other items carried as they are.
    @Test func rewrittenOnlyForOneAggregateOverTheEarlierKey() throws {
        func correlated(_ second: String) throws -> Bool {
            let sql = try QueryEngine.compile("MATCH (p:Paper)-[:USES_METHOD]->(m) WITH p, count(m) AS n MATCH (p)-[:STUDIES]->(c) " + second).sqlText
            return sql.contains(Self.marker) || sql.contains(Self.existsMarker)
        }
        #expect(try correlated("WITH p, n, collect(c.id) AS cs RETURN p, n, cs"))
        #expect(try correlated("RETURN p, count(*) AS k"))
        #expect(try correlated("RETURN p, max(c.id) AS k"))
        #expect(try !correlated("WITH p, n, collect(c.id) AS cs, count(c) AS k RETURN p, n, cs, k"))
        #expect(try !correlated("WITH p, n, size(collect(c.id)) AS k RETURN p, n, k"))
        #expect(try !correlated("WITH p, n, c.id AS id, count(*) AS k RETURN p, id, k"))
        #expect(try !correlated("WITH n, count(c) AS k RETURN n, k"))
        #expect(try !correlated("WITH p, n, count(c) AS k ORDER BY k RETURN p, k"))
        #expect(try !correlated("WITH DISTINCT p, n, count(c) AS k RETURN p, k"))
        #expect(try !correlated("WITH p, n, count(c) AS k WHERE k > 1 RETURN p, k"))
        #expect(try !correlated("RETURN p, n, count(*) AS k LIMIT 2"))
        // The earlier projection grouped by something else than one node.
        #expect(try !QueryEngine.compile("MATCH (p:Paper)-[:USES_METHOD]->(m) WITH p.year AS y, count(m) AS n MATCH (q:Paper {year: y}) RETURN y, count(q) AS k")
            .sqlText.contains(Self.marker))
    }

    /// A count() or collect() is computed once per earlier row: the subquery walking the MATCH
    /// appears once in the SQL, where EXISTS would walk it a second time.
    @Test func countAndCollectWalkTheMatchOnce() throws {
        for aggregate in ["collect(c.id)", "count(c)", "count(*)", "collect(DISTINCT c.id)"] {
            let sql = try QueryEngine.compile("MATCH (p:Paper)-[:USES_METHOD]->(m) WITH p, count(m) AS n MATCH (p)-[:STUDIES]->(c) RETURN p, n, \(aggregate) AS k").sqlText
            #expect(sql.contains("(SELECT CASE WHEN count(*) THEN "), "\(sql)")
            #expect(!sql.contains(Self.existsMarker) && sql.contains(Self.marker), "\(sql)")
        }
    }
}
