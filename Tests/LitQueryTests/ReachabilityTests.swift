// Variable-length relationships matched by node reachability (when only the set of rows counts)
// give exactly the rows of path enumeration. Each query is run twice: with the relationship
// unnamed (eligible for reachability) and named but unused (always path enumeration), on a small
// graph with cycles, self-loops, parallel edges, a 2-cycle and relationships of a second type.
import Foundation
import Testing
import LitQuery

@Suite("Variable length by reachability")
struct ReachabilityTests {
    static func graph() throws -> ScratchStore {
        let s = try ScratchStore()
        try s.run("""
            CREATE (a:N {name: 'A'}), (b:N {name: 'B'}), (c:N {name: 'C'}), (d:N {name: 'D'}),
                   (e:N {name: 'E'}), (f:M {name: 'F'}), (g:N {name: 'G'}), (:N {name: 'H'}),
                   (a)-[:T]->(b), (b)-[:T]->(c), (c)-[:T]->(a), (a)-[:T]->(b),
                   (c)-[:T]->(c), (c)-[:T]->(d), (d)-[:T]->(e), (e)-[:T]->(d),
                   (g)-[:T]->(g), (b)-[:U]->(f), (f)-[:U]->(a), (e)-[:U]->(f), (f)-[:T]->(e)
            """)
        return s
    }

    static let lengths = ["*", "*0..", "*1..", "*0..1", "*0..2", "*1..3", "*..2", "*2..3", "*2", "*0", "*1", "*3..5"]

    /// The query with the relationship unnamed and named (`REL` stands for its brackets' inside).
    static func both(_ query: String, _ length: String, types: String = ":T") -> (unnamed: String, named: String) {
        (query.replacingOccurrences(of: "REL", with: "\(types)\(length)"),
         query.replacingOccurrences(of: "REL", with: "r\(types)\(length)"))
    }

    static let queries = [
        "MATCH (x)-[REL]->(y) RETURN DISTINCT x.name AS x, y.name AS y ORDER BY x, y",
        "MATCH (x)<-[REL]-(y) RETURN DISTINCT x.name AS x, y.name AS y ORDER BY x, y",
        "MATCH (x:N {name: 'A'})-[REL]->(y) RETURN count(DISTINCT y) AS n, min(y.name) AS lo, max(y.name) AS hi",
        "MATCH (x)<-[REL]-(y:N {name: 'E'}) RETURN x.name AS x ORDER BY x",
        "MATCH (x)-[REL]->(y) WITH x, count(DISTINCT y) AS n RETURN x.name AS x, n ORDER BY x",
        "MATCH (x)-[REL]->(y), (y)-[:U]->(z) RETURN DISTINCT x.name AS x, z.name AS z ORDER BY x, z",
        "MATCH (x)-[REL]->(y) MATCH (y)-[:T]->(z) RETURN DISTINCT x.name AS x, z.name AS z ORDER BY x, z",
        "MATCH (x) WHERE EXISTS { (x)-[REL]->(:N {name: 'D'}) } RETURN x.name AS x ORDER BY x",
        "MATCH (x) WHERE EXISTS { (x)-[REL]->(x) } RETURN x.name AS x ORDER BY x",
        "MATCH (x) WHERE EXISTS { MATCH (x)-[REL]->(y) WHERE y.name = 'F' } RETURN x.name AS x ORDER BY x",
        "MATCH (x:N) OPTIONAL MATCH (x)-[REL]->(y:M) RETURN DISTINCT x.name AS x, y.name AS y ORDER BY x, y",
        // Seeded from an earlier clause's node ids; grouped per node with multiplicity-blind aggregates.
        "MATCH (x:N) WITH x MATCH (x)-[REL]->(y) RETURN DISTINCT x.name AS x, y.name AS y ORDER BY x, y",
        "MATCH (x)-[:U]->(:M)-[REL]->(y) WITH x, collect(DISTINCT y.name) AS ys RETURN x.name AS x, size(ys) AS n ORDER BY x",
        "MATCH (x)-[REL]->(y:N) WITH x, collect(DISTINCT y.name) AS ys MATCH (x)-[:U]->(z) RETURN x.name AS x, size(ys) AS n, z.name AS z ORDER BY x, z",
        // Not eligible (kept as paths): counted paths, a relationship that may collide.
        "MATCH (x {name: 'A'})-[REL]->(y) RETURN y.name AS y, count(*) AS paths ORDER BY y",
        "MATCH (x)-[REL]->(y), (y)-[:T]->(z) RETURN DISTINCT x.name AS x, z.name AS z ORDER BY x, z",
        "MATCH (x)-[REL]-(y) RETURN DISTINCT x.name AS x, y.name AS y ORDER BY x, y",
    ]

    @Test(arguments: queries)
    func reachabilityGivesTheRowsOfPathEnumeration(_ query: String) throws {
        let s = try Self.graph()
        for length in Self.lengths {
            for types in [":T", ":T|U", ""] {
                let (unnamed, named) = Self.both(query, length, types: types)
                #expect(try s.rows(unnamed) == (try s.rows(named)), "\(unnamed)")
            }
        }
    }

    /// Which compilation a query gets: reachability has no path column.
    static func usesReachability(_ query: String) throws -> Bool {
        let sql = try QueryEngine.compile(query, parameters: ["id": .string("2502.17516")]).sqlText
        // Bounded reachability keeps the depth; unbounded keeps the pairs alone.
        let reach = sql.contains("(start, node, depth)") || sql.contains("(start, node) AS")
        let paths = sql.contains("(start, node, path, depth)")
        try #require(reach != paths, "one variable-length relationship expected: \(sql)")
        return reach
    }

    @Test func reachabilityOnlyWhereTheRowsAreASetAndNoRelationshipCanCollide() throws {
        #expect(try Self.usesReachability("MATCH (p:Paper {arxiv: $id})<-[:CITES*1..3]-(q:Paper) RETURN count(DISTINCT q)"))
        #expect(try Self.usesReachability("MATCH (p)<-[:CITES*0..3]-(q) RETURN DISTINCT q"))
        #expect(try Self.usesReachability("MATCH (p)-[:CITES*]->(q), (q)-[:USES_METHOD]->(m) RETURN m.id, count(DISTINCT p)"))
        #expect(try Self.usesReachability("MATCH (p) WHERE (p)-[:CITES*..4]->(:Paper {key: 'x'}) RETURN p"))
        #expect(try Self.usesReachability("MATCH (p) WHERE EXISTS { MATCH (p)-[:CITES*]->(q) WHERE q.year < 2000 } RETURN p"))
        // Paths counted, listed, limited or named; undirected; at least two hops; a possible collision.
        #expect(try !Self.usesReachability("MATCH (p)<-[:CITES*1..3]-(q) RETURN count(q)"))
        #expect(try !Self.usesReachability("MATCH (p)<-[:CITES*1..3]-(q) RETURN q"))
        #expect(try !Self.usesReachability("MATCH (p)<-[:CITES*1..3]-(q) RETURN DISTINCT count(*)"))
        #expect(try !Self.usesReachability("MATCH (p)<-[:CITES*1..3]-(q) WITH q LIMIT 3 RETURN DISTINCT q"))
        #expect(try !Self.usesReachability("MATCH (p)<-[r:CITES*1..3]-(q) RETURN DISTINCT q"))
        #expect(try !Self.usesReachability("MATCH (p)-[:CITES*1..3]-(q) RETURN DISTINCT q"))
        #expect(try !Self.usesReachability("MATCH (p)<-[:CITES*2..3]-(q) RETURN DISTINCT q"))
        #expect(try !Self.usesReachability("MATCH (p)<-[:CITES*1..3]-(q)-[:CITES]->(z) RETURN DISTINCT z"))
        #expect(try !Self.usesReachability("MATCH (p)<-[:CITES*1..3]-(q)-[]->(z) RETURN DISTINCT z"))
    }

    /// An unbounded pattern under reachability has no depth bound and lists each pair once.
    @Test func unboundedReachabilityListsPairsWithoutDepth() throws {
        let sql = try QueryEngine.compile("MATCH (p:Paper)-[:CITES*]->(q) RETURN DISTINCT q").sqlText
        #expect(sql.contains("(start, node) AS") && !sql.contains("depth"))
    }

    /// Relationship uniqueness is checked only between relationship patterns that could bind the
    /// same relationship: not between two different fixed types.
    @Test func uniquenessOnlyBetweenPatternsThatCanCollide() throws {
        func checks(_ query: String) throws -> Bool {
            let sql = try QueryEngine.compile(query).sqlText
            // Between two patterns: ids differ, an id is not on a walk's path, or two paths share none.
            return sql.contains(".id <> ") || sql.range(of: #"instr\(v[0-9]+\.path"#, options: .regularExpression) != nil
                || sql.contains("cy_disjoint(")
        }
        #expect(try !checks("MATCH (a)-[r:T]->(b), (a)-[s:U]->(c) RETURN r, s"))
        #expect(try !checks("MATCH (a)-[r:T]->(b)<-[s:U|V]-(c) RETURN r, s"))
        #expect(try !checks("MATCH (a)-[:T*1..2]->(b)-[s:U]->(c) RETURN a, s"))
        #expect(try checks("MATCH (a)-[r:T]->(b), (a)-[s:T]->(c) RETURN r, s"))
        #expect(try checks("MATCH (a)-[r:T]->(b), (a)-[s:U|T]->(c) RETURN r, s"))
        #expect(try checks("MATCH (a)-[r:T]->(b), (a)-[s]->(c) RETURN r, s"))
        #expect(try checks("MATCH (a)-[:T*1..2]->(b)-[s]->(c) RETURN a, s"))
        // The rows: with two types no pair is lost; with one, the shared relationship is excluded.
        let s = try Self.graph()
        #expect(try s.rows("MATCH (x)-[:T]->(y)-[:U]->(z) RETURN count(*) AS n") == ["4"])  // a→b twice, d→e, f→e
        #expect(try s.rows("MATCH (x)-[:T]->(y)<-[:T]-(z) RETURN count(*) AS n")
                == (try s.rows("MATCH (x)-[r:T]->(y)<-[s:T]-(z) WHERE id(r) <> id(s) RETURN count(*) AS n")))
    }
}
