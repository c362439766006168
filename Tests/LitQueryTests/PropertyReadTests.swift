// Property reads decode the stored JSON of every type back to the Cypher value it was written as:
// strings with and without escapes, integers at the limits, floats, booleans, lists and maps.
import Testing
import LitQuery
import LitStore

@Suite("Property reads")
struct PropertyReadTests {
    @Test func everyStoredTypeReadsBackAsWritten() throws {
        let s = try ScratchStore()
        try s.run("""
            CREATE (:T {plain: 'abc', escaped: 'a"b\\\\c\\né', empty: '', max: 9223372036854775807,
                        min: -9223372036854775808, neg: -42, zero: 0, one: 1, f: 1.5, whole: 2.0, big: 1e300,
                        yes: true, no: false, list: [1, 'x', true, 2.5], map: {b: 1, a: [false]}})
            """)
        #expect(try s.rows("""
            MATCH (t:T) RETURN t.plain, t.escaped, t.empty, t.max, t.min, t.neg, t.zero, t.one, t.f, t.whole,
                               t.big, t.yes, t.no, t.list, t.map, t.missing
            """) == [#"'abc' | 'a"b\\c\#né' | '' | 9223372036854775807 | -9223372036854775808 | -42 | 0 | 1 | 1.5 | 2.0 | 1e300 | true | false | [1, 'x', true, 2.5] | {a: [false], b: 1} | null"#])
        // Types stay apart: 1 is not true, 2.0 equals 2, '1' is not 1.
        #expect(try s.rows("MATCH (t:T) RETURN t.one = true, t.whole = 2, t.one = '1', t.zero = false, t.plain = 'abc'")
                == ["false | true | false | false | true"])
    }

    /// Node properties read per row of a join go through the query's memo: every type reads back
    /// the same as a plain read, a node absent from an OPTIONAL MATCH reads null, and a later query
    /// sees a value changed in between.
    @Test func readsThroughAJoinMatchPlainReads() throws {
        let s = try ScratchStore()
        try s.run("""
            CREATE (a:T {name: 'a', n: 1, f: 2.5, yes: true, list: [1, 'x'], esc: 'q"q'}), (b:T {name: 'b', n: -7}),
                   (c:T {name: 'c'}), (a)-[:R]->(b), (a)-[:R]->(c), (b)-[:R]->(c), (c)-[:R]->(a), (c)-[:R]->(b)
            """)
        let joined = try s.rows("""
            MATCH (x:T)-[:R]->(y:T) WHERE y.name <> 'zz'
            RETURN y.name, y.n, y.f, y.yes, y.list, y.esc, x.name ORDER BY x.name, y.name
            """)
        let plain = try s.rows("""
            MATCH (x:T)-[:R]->(y:T) WITH x.name AS xn, y ORDER BY xn, y.name
            RETURN y.name, y.n, y.f, y.yes, y.list, y.esc, xn
            """)
        #expect(joined == plain)
        #expect(joined.first == "'b' | -7 | null | null | null | null | 'a'")
        #expect(joined.count == 5)
        #expect(try s.rows("MATCH (x:T) OPTIONAL MATCH (x)-[:R]->(y:T {name: 'a'}) RETURN x.name, y.name ORDER BY x.name")
                == ["'a' | null", "'b' | null", "'c' | 'a'"])
        let query = "MATCH (x:T)-[:R]->(y:T) RETURN y.name AS name, count(*) AS n ORDER BY name"
        #expect(try s.rows(query) == ["'a' | 1", "'b' | 2", "'c' | 2"])
        try s.store.write { db in try db.execute(sql: "UPDATE node SET props = json_set(props, '$.name', 'z') WHERE json_extract(props, '$.name') = 'a'") }
        #expect(try s.rows(query) == ["'b' | 2", "'c' | 2", "'z' | 1"])
    }
}
