// Property reads decode the stored JSON of every type back to the Cypher value it was written as:
// strings with and without escapes, integers at the limits, floats, booleans, lists and maps.
import Testing
import LitQuery

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
}
