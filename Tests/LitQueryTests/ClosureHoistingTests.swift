// Two rewrites that must change no result: variable-length relationships matched over a hoisted
// closure (the start's tests left to the seed, the far end's tests and property reads applied
// once per closure row), and grouping keys left out of GROUP BY when an earlier aggregation
// determined them. Each query is compared with a form the rewrite does not apply to (the
// relationship named, a grouping key wrapped in coalesce()) on a small taxonomy-like graph with a
// diamond, a cycle, a self-loop, parallel edges, nodes of several labels, missing properties and
// nodes with no relationships. Lists compare as multisets: the order collect() builds them in is
// the plan's.
import Foundation
import Testing
@testable import LitQuery

@Suite("Hoisted closures and functionally dependent grouping keys")
struct ClosureHoistingTests {
    static func graph() throws -> ScratchStore {
        let s = try ScratchStore()
        try s.run("""
            CREATE (root:Method {id: 'root'}), (child:Method {id: 'child'}), (grand:Method:Extra {id: 'grand'}),
                   (orphan:Method {id: 'orphan'}), (anon:Method), (other:Other {id: 'other'}), (loop:Method {id: 'loop'}),
                   (vlm:ModelClass {id: 'vlm'}), (clip:ModelClass:Extra {id: 'clip'}), (cnn:ModelClass {id: 'cnn'}),
                   (p1:Paper {year: 2020}), (p2:Paper), (p3:Paper:Extra {year: 2021}), (:Paper {year: 2022}),
                   (p5:Paper {year: 2020}), (p6:Paper {year: 2020}),
                   (child)-[:SPECIALISES]->(root), (grand)-[:SPECIALISES]->(child), (grand)-[:SPECIALISES]->(root),
                   (orphan)-[:SPECIALISES]->(other), (other)-[:SPECIALISES]->(root), (loop)-[:SPECIALISES]->(loop),
                   (root)-[:SPECIALISES]->(anon), (anon)-[:SPECIALISES]->(root),
                   (clip)-[:SPECIALISES]->(vlm), (clip)-[:SPECIALISES]->(vlm),
                   (p1)-[:USES_METHOD]->(grand), (p1)-[:USES_METHOD]->(grand), (p1)-[:USES_METHOD]->(child),
                   (p1)-[:STUDIES]->(clip), (p2)-[:USES_METHOD]->(orphan), (p2)-[:USES_METHOD]->(other),
                   (p2)-[:STUDIES]->(vlm), (p3)-[:USES_METHOD]->(anon), (p3)-[:USES_METHOD]->(loop),
                   (p3)-[:STUDIES]->(clip), (p3)-[:STUDIES]->(cnn), (p5)-[:USES_METHOD]->(root),
                   (p6)-[:USES_METHOD]->(grand), (p6)-[:STUDIES]->(cnn)
            """)
        return s
    }

    /// Rows as text, lists sorted, rows sorted: results equal up to the orders Cypher leaves open.
    static func normalized(_ r: QueryResult) -> [String] {
        func text(_ v: CypherValue) -> String {
            if case .list(let items) = v { return "[" + items.map(text).sorted().joined(separator: ", ") + "]" }
            return v.tckText
        }
        return r.rows.map { $0.map(text).joined(separator: " | ") }.sorted()
    }

    static let lengths = ["*0..", "*", "*1..", "*0..1"]

    /// Queries whose variable-length relationship (`REL`) can be matched over a hoisted closure.
    static let closureQueries = [
        // The gap matrix.
        """
        MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[REL]->(m:Method)
        WITH p, collect(DISTINCT m.id) AS methods
        MATCH (p)-[:STUDIES]->(:ModelClass)-[REL]->(c:ModelClass)
        WITH p, methods, collect(DISTINCT c.id) AS model_classes
        RETURN p.year AS year, methods, model_classes
        """,
        // The gap cell, with a parameter and with a literal.
        """
        MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[REL]->(:Method {id: $method})
        MATCH (p)-[:STUDIES]->(:ModelClass)-[REL]->(:ModelClass {id: $model_class})
        RETURN DISTINCT id(p) AS node, p.year AS year
        """,
        "MATCH (p)-[:USES_METHOD]->(:Method)-[REL]->(m:Method {id: 'root'}) RETURN DISTINCT id(p) AS p, m.id AS m",
        // Several labels at either end; an end without a label; a property read only in WHERE.
        "MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[REL]->(m:Method:Extra) RETURN p.year AS year, collect(DISTINCT m.id) AS ms",
        "MATCH (a:Method:Extra)-[REL]->(b) RETURN DISTINCT a.id AS a, b.id AS b, b.missing AS missing",
        "MATCH (a:Method)-[REL]->(b) WHERE b.id STARTS WITH 'o' RETURN DISTINCT a.id AS a, b.id AS b",
        "MATCH (a:Method {id: 'grand'})-[REL]->(b:Method) RETURN count(DISTINCT b) AS n, min(b.id) AS lo, max(b.id) AS hi",
        // Walked from the right end.
        "MATCH (a)<-[REL]-(b:Method:Extra) RETURN DISTINCT a.id AS a, b.id AS b",
        "MATCH (p:Paper)-[:USES_METHOD]->(m)-[REL]->(:Method {id: 'root'}) RETURN DISTINCT p.year AS year, m.id AS m",
        // Under OPTIONAL MATCH (nulls) and in EXISTS { }.
        """
        MATCH (p:Paper)
        OPTIONAL MATCH (p)-[:USES_METHOD]->(:Method)-[REL]->(m:Method)
        WITH p, collect(DISTINCT m.id) AS ms
        RETURN p.year AS year, ms
        """,
        "MATCH (p:Paper) WHERE EXISTS { MATCH (p)-[:USES_METHOD]->(:Method)-[REL]->(m:Method) WHERE m.id = 'child' } RETURN p.year AS year",
        // A closure whose end is a later pattern's node.
        "MATCH (a:Method:Extra)-[REL]->(b:Method), (p)-[:USES_METHOD]->(b) RETURN DISTINCT b.id AS b, p.year AS year",
    ]

    @Test(arguments: closureQueries)
    func hoistedClosureGivesTheRowsOfPathEnumeration(_ query: String) throws {
        let s = try Self.graph()
        let parameters: [String: CypherValue] = ["method": .string("root"), "model_class": .string("vlm")]
        for length in Self.lengths {
            for types in [":SPECIALISES", ""] {
                let hoisted = query.replacingOccurrences(of: "REL", with: types + length)
                // Each relationship named apart (a name repeated would be the same relationship list).
                let parts = query.components(separatedBy: "REL")
                let paths = parts.dropFirst().enumerated().reduce(parts[0]) { $0 + "r\($1.offset)" + types + length + $1.element }
                let expected = Self.normalized(try s.run(paths, parameters))
                #expect(Self.normalized(try s.run(hoisted, parameters)) == expected, "\(hoisted)")
            }
        }
    }

    /// The closure is hoisted (and restricted) where it can be, and only there.
    @Test func closureHoistedOnlyFromConstantSeedsWithoutDepthBound() throws {
        func hoisted(_ query: String) throws -> Bool {
            try QueryEngine.compile(query, parameters: ["id": .string("x")]).sqlText.contains(" AS MATERIALIZED (\n  SELECT v.start, v.node")
        }
        #expect(try hoisted("MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method) RETURN DISTINCT p, m"))
        #expect(try hoisted("MATCH (:Method {id: $id})-[:SPECIALISES*]->(m) RETURN DISTINCT m.name"))
        // Bounded depth, a bound start, a start tested against a variable, a named relationship,
        // rows counted: walked per row as before.
        #expect(try !hoisted("MATCH (:Method)-[:SPECIALISES*0..3]->(m:Method) RETURN DISTINCT m"))
        #expect(try !hoisted("MATCH (a:Method) WITH a MATCH (a)-[:SPECIALISES*]->(m:Method) RETURN DISTINCT m"))
        #expect(try !hoisted("MATCH (a:Method), (b:Method {id: a.id})-[:SPECIALISES*]->(m:Method) RETURN DISTINCT m"))
        #expect(try !hoisted("MATCH (:Method)-[r:SPECIALISES*]->(m:Method) RETURN DISTINCT m"))
        #expect(try !hoisted("MATCH (:Method)-[:SPECIALISES*]->(m:Method) RETURN m"))
        // The end's property is read from the closure, not per row.
        let sql = try QueryEngine.compile("MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method) RETURN p.year, collect(DISTINCT m.id)").sqlText
        #expect(sql.contains("cy_collect_distinct(v") && !sql.contains("cy_mh(v"), "\(sql)")
    }

    /// Grouping by an earlier aggregation's key and what it determined: the same groups as
    /// grouping by an expression of it (which the rewrite leaves alone).
    static let groupingQueries = [
        """
        MATCH (p:Paper)-[:USES_METHOD]->(m)
        WITH p, collect(DISTINCT m.id) AS methods
        MATCH (p)-[:STUDIES]->(c)
        WITH p, KEY(methods) AS methods, collect(c.id) AS classes
        RETURN p.year AS year, methods, classes
        """,
        // Equal lists under different papers stay apart; an alias of the key.
        """
        MATCH (p:Paper)-[:USES_METHOD]->(m)
        WITH p, count(m) AS n
        WITH p AS q, KEY(n) AS n, count(*) AS rows
        RETURN q.year AS year, n, rows
        """,
        // The key left out: the dependent must stay a key.
        """
        MATCH (p:Paper)-[:USES_METHOD]->(m)
        WITH p, count(m) AS n
        MATCH (p)-[:STUDIES]->(c)
        WITH KEY(n) AS n, count(*) AS rows
        RETURN n, rows
        """,
        // A null key (OPTIONAL MATCH without a match) and null values.
        """
        OPTIONAL MATCH (p:Paper {year: 1900})
        WITH p, count(*) AS n, collect(p.year) AS years
        WITH p, KEY(n) AS n, KEY(years) AS years, count(*) AS rows
        RETURN p, n, years, rows
        """,
        // Carried through a WITH, an UNWIND and a third aggregation.
        """
        MATCH (p:Paper)
        OPTIONAL MATCH (p)-[:USES_METHOD]->(m)
        WITH p, collect(m.id) AS methods, p.year AS year
        WITH p, methods, year
        UNWIND [1, 2] AS i
        WITH p, KEY(methods) AS methods, year, sum(i) AS s
        WITH p, KEY(methods) AS methods, KEY(s) AS s, year, count(*) AS k
        RETURN year, methods, s, k
        """,
    ]

    @Test(arguments: groupingQueries)
    func dependentGroupingKeysGiveTheSameGroups(_ query: String) throws {
        let s = try Self.graph()
        let rewritten = Self.normalized(try s.run(query.replacingOccurrences(of: #"KEY\(([a-z]+)\)"#, with: "$1", options: .regularExpression)))
        let plain = Self.normalized(try s.run(query.replacingOccurrences(of: #"KEY\(([a-z]+)\)"#, with: "coalesce($1, $1)", options: .regularExpression)))
        #expect(rewritten == plain)
        #expect(!rewritten.isEmpty)
    }

    /// collect(DISTINCT x) keeps the first of the values SQLite's DISTINCT takes as equal (an
    /// integer and the float of the same value, equal strings, equal lists), in order, without
    /// nulls; past a few items as well.
    @Test func collectDistinctDropsRepeatsInOrder() throws {
        let s = try ScratchStore()
        #expect(try s.rows("UNWIND [2, 1, 1.0, 0.0, -0.0, 2.5, 'a', null, 'a', [1], [1], [1.0], true, true, false, {k: 1}, {k: 1}] AS x RETURN collect(DISTINCT x) AS xs")
                == ["[2, 1, 0.0, 2.5, 'a', [1], [1.0], true, false, {k: 1}]"])
        #expect(try s.rows("UNWIND range(1, 300) AS i RETURN collect(DISTINCT i % 40) AS xs, collect(DISTINCT toString(i % 25)) AS ys")
                == (try s.rows("UNWIND range(1, 300) AS i WITH collect(i % 40) AS xs, collect(toString(i % 25)) AS ys RETURN xs[0..40] AS xs, ys[0..25] AS ys")))
        #expect(try s.rows("UNWIND [null, null] AS x RETURN collect(DISTINCT x) AS xs") == ["[]"])
        #expect(try s.rows("MATCH (n) RETURN collect(DISTINCT n) AS xs") == ["[]"])
    }

    /// The first aggregation groups by its key alone; the second, which only adds an aggregate
    /// per key, is a correlated subquery (see CorrelatedAggregateTests) and groups nothing again.
    @Test func groupsByTheEarlierKeyAlone() throws {
        let sql = try QueryEngine.compile("""
            MATCH (p:Paper)-[:USES_METHOD]->(m) WITH p, collect(m.id) AS methods
            MATCH (p)-[:STUDIES]->(c) WITH p, methods, collect(c.id) AS classes RETURN p, methods, classes
            """).sqlText
        let groupings = sql.components(separatedBy: "GROUP BY ").dropFirst().map { $0.prefix { $0 != "\n" } }
        #expect(groupings.count == 1 && groupings.allSatisfy { !$0.contains(",") }, "\(sql)")
        #expect(sql.contains(CorrelatedAggregateTests.marker), "\(sql)")
    }
}
