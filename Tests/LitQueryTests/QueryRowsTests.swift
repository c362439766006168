// Query → rows on small graphs built with CREATE: the patterns, semantics and traps a user of the
// domain graph meets (types kept, relationship uniqueness, OPTIONAL MATCH, ordering, aggregation).
import Foundation
import Testing
import LitQuery

@Suite("Query results")
struct QueryRowsTests {
    /// A small literature graph: three papers, citations, authors, a method and a model class.
    static func literature() throws -> ScratchStore {
        let s = try ScratchStore()
        try s.run("""
            CREATE (survey:Paper {key: 'lin2025survey', arxiv: '2502.17516', year: 2025, title: 'A Survey on Mechanistic Interpretability', versions: [1, 2]}),
                   (rome:Paper {key: 'meng2022locating', arxiv: '2202.05262', year: 2022, title: 'Locating and Editing Factual Associations'}),
                   (diff:Paper {key: 'basu2024localizing', arxiv: '2310.13730', year: 2024, title: 'Localizing Knowledge in Diffusion Models'}),
                   (stub:Paper {key: 'stub2020', stub: true}),
                   (ct:Method {id: 'causal-tracing', name: 'Causal tracing'}),
                   (t2i:ModelClass {id: 'text-to-image-diffusion'}),
                   (lin:Author {name: 'Zihao Lin'}), (basu:Author {name: 'Samyadeep Basu'}), (feizi:Author {name: 'Soheil Feizi'}),
                   (survey)-[:CITES]->(rome), (survey)-[:CITES]->(diff), (diff)-[:CITES]->(rome), (rome)-[:CITES]->(stub),
                   (diff)-[:USES_METHOD {via: 'curated'}]->(ct), (rome)-[:USES_METHOD {via: 'lexicon'}]->(ct),
                   (diff)-[:STUDIES]->(t2i),
                   (survey)-[:AUTHORED_BY {position: 1}]->(lin), (survey)-[:AUTHORED_BY {position: 2}]->(basu),
                   (survey)-[:AUTHORED_BY {position: 3}]->(feizi),
                   (diff)-[:AUTHORED_BY {position: 1}]->(basu), (diff)-[:AUTHORED_BY {position: 2}]->(feizi)
            """)
        return s
    }

    @Test func lookupByArxivReturnsTheNodeWithTypedProperties() throws {
        let s = try Self.literature()
        #expect(try s.rows("MATCH (p:Paper {arxiv: $id}) RETURN p.year, p.versions, p.title", ["id": .string("2502.17516")])
                == ["2025 | [1, 2] | 'A Survey on Mechanistic Interpretability'"])
        #expect(try s.rows("MATCH (p:Paper {key: 'stub2020'}) RETURN p") == ["(:Paper {key: 'stub2020', stub: true})"])
    }

    @Test func variableLengthCitersWithinThreeHops() throws {
        let s = try Self.literature()
        let rows = try s.rows("""
            MATCH (p:Paper {arxiv: '2202.05262'})<-[:CITES*1..3]-(q:Paper)
            RETURN q.key AS citer, count(*) AS paths ORDER BY citer
            """)
        // The survey cites ROME directly and through the diffusion paper: two paths.
        #expect(rows == ["'basu2024localizing' | 1", "'lin2025survey' | 2"])
    }

    @Test func savedQueriesAnswerOnTheSmallGraph() throws {
        let s = try Self.literature()
        func saved(_ name: String) throws -> String {
            try String(contentsOf: Paths.repo.appendingPathComponent("Queries/\(name).cypher"), encoding: .utf8)
        }
        #expect(try s.rows(saved("papers-by-method"), ["method": .string("causal-tracing"), "class": .string("text-to-image-diffusion")])
                == ["'basu2024localizing' | '2310.13730' | 2024 | 'Localizing Knowledge in Diffusion Models'"])
        #expect(try s.rows(saved("co-authors"), ["name": .string("Samyadeep Basu")])
                == ["'Soheil Feizi' | 2 | ['lin2025survey', 'basu2024localizing']", "'Zihao Lin' | 1 | ['lin2025survey']"])
        #expect(try s.rows(saved("citation-neighbourhood"), ["arxiv": .string("2310.13730"), "depth": .int(1)]).map { String($0.prefix(21)) }
                == ["'lin2025survey' | '25", "'meng2022locating' | "])
        // Causal-tracing papers that do not cite ROME: only ROME itself would, and it is excluded.
        #expect(try s.rows(saved("papers-citing-none"), ["arxivs": .list([.string("2202.05262")]), "method": .string("causal-tracing")]) == [])
        #expect(try s.rows(saved("papers-citing-none"), ["arxivs": .list([.string("2310.13730")]), "method": .null]).map { String($0.prefix(20)) }
                == ["'meng2022locating' |"])
    }

    @Test func typesSurviveEndToEnd() throws {
        let s = try ScratchStore()
        #expect(try s.rows("RETURN 1 AS i, 1.0 AS f, true AS b, '1' AS s, [1, 1.0, true, null] AS l, {a: 1} AS m")
                == ["1 | 1.0 | true | '1' | [1, 1.0, true, null] | {a: 1}"])
        try s.run("CREATE ({i: 1, f: 1.0, b: false, l: [1, 2.5], s: 'x'})")
        #expect(try s.rows("MATCH (n) RETURN n.i, n.f, n.b, n.l, n.s, n.missing")
                == ["1 | 1.0 | false | [1, 2.5] | 'x' | null"])
        #expect(try s.rows("RETURN 7 / 2 AS a, 7.5 % 2 AS b, -7 % 3 AS c, 2 ^ 3 AS d") == ["3 | 1.5 | -1 | 8.0"])
    }

    @Test func threeValuedLogicAndNullPropagation() throws {
        let s = try ScratchStore()
        #expect(try s.rows("RETURN null = null AS a, 1 IN [2, null] AS b, [1, 2] = [1, null] AS c, null OR true AS d, null AND true AS e")
                == ["null | null | null | true | null"])
        #expect(try s.rows("UNWIND [1, null, 3] AS x RETURN count(x), sum(x), avg(x), min(x), max(x), collect(x)")
                == ["2 | 4 | 2.0 | 1 | 3 | [1, 3]"])
    }

    @Test func typeErrorsInsteadOfCoercion() throws {
        let s = try ScratchStore()
        #expect(throws: QueryError.self) { try s.run("WITH 'a' AS x RETURN x - 1") }
        do {
            try s.run("UNWIND ['a'] AS x RETURN x * 2")
            Issue.record("expected a type error")
        } catch let e as QueryError {
            #expect(e.type == "TypeError")
            #expect(e.phase == .runtime)
        }
    }

    @Test func relationshipUniquenessAndUndirectedSelfLoops() throws {
        let s = try ScratchStore()
        try s.run("CREATE (a:A)-[:T]->(b:B), (c:C)-[:L]->(c)")
        #expect(try s.rows("MATCH ()-[r:T]-() RETURN count(r)") == ["2"])
        #expect(try s.rows("MATCH ()-[r:L]-() RETURN count(r)") == ["1"])
        #expect(try s.rows("MATCH (x)-[r1]-(y)-[r2]-(z) RETURN count(*)") == ["0"])
    }

    @Test func optionalMatchKeepsRowsWithNulls() throws {
        let s = try Self.literature()
        #expect(try s.rows("""
            MATCH (p:Paper) WHERE p.year IS NOT NULL
            OPTIONAL MATCH (p)-[:STUDIES]->(c:ModelClass)
            RETURN p.key, c.id ORDER BY p.key
            """) == ["'basu2024localizing' | 'text-to-image-diffusion'", "'lin2025survey' | null", "'meng2022locating' | null"])
    }

    @Test func orderByAcrossTypes() throws {
        let s = try ScratchStore()
        #expect(try s.rows("UNWIND [2, 'a', null, 1.5, true, [1], {k: 1}] AS x RETURN x ORDER BY x")
                == ["{k: 1}", "[1]", "'a'", "true", "1.5", "2", "null"])
        #expect(try s.rows("UNWIND [2, 'a', null] AS x RETURN x ORDER BY x DESC") == ["null", "2", "'a'"])
    }

    @Test func unwindCreateAndMatchCreateBuildGraphs() throws {
        let s = try ScratchStore()
        try s.run("UNWIND range(1, 5) AS i CREATE (:N {nr: i})")
        try s.run("MATCH (a:N), (b:N) WHERE b.nr = a.nr + 1 CREATE (a)-[:NEXT {w: a.nr}]->(b)")
        #expect(try s.rows("MATCH (a:N {nr: 1})-[r:NEXT*]->(b) RETURN b.nr, size(r) ORDER BY b.nr")
                == ["2 | 1", "3 | 2", "4 | 3", "5 | 4"])
        #expect(try s.rows("MATCH ()-[r:NEXT]->() RETURN sum(r.w)") == ["10"])
    }

    @Test func withPipelinesAggregationAndUnion() throws {
        let s = try Self.literature()
        #expect(try s.rows("""
            MATCH (p:Paper)-[:AUTHORED_BY]->(a:Author)
            WITH a, count(p) AS n WHERE n > 1
            RETURN a.name ORDER BY a.name
            """) == ["'Samyadeep Basu'", "'Soheil Feizi'"])
        #expect(try s.rows("MATCH (m:Method) RETURN m.id AS id UNION MATCH (c:ModelClass) RETURN c.id AS id").sorted()
                == ["'causal-tracing'", "'text-to-image-diffusion'"])
        #expect(try s.rows("MATCH (p:Paper) WHERE EXISTS { (p)-[:USES_METHOD]->(:Method) } RETURN count(p)") == ["2"])
        #expect(try s.rows("MATCH (p:Paper) WHERE p.title =~ '(?i).*diffusion.*' RETURN p.key") == ["'basu2024localizing'"])
    }
}
