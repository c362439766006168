// `--param name=value` values: JSON, except numbers not written as JSON writes them and text shaped
// like a new-style arXiv identifier, which stay strings.
import Testing
import LitQuery
import LitStore

@Suite("Parameter values from the command line")
struct ParameterValueTests {
    @Test func jsonValuesAreJSON() {
        #expect(ResultFormatter.parameterValue("2") == .int(2))
        #expect(ResultFormatter.parameterValue("-3") == .int(-3))
        #expect(ResultFormatter.parameterValue("0.5") == .float(0.5))
        #expect(ResultFormatter.parameterValue("1e3") == .float(1000))
        #expect(ResultFormatter.parameterValue("2024") == .int(2024))
        #expect(ResultFormatter.parameterValue("true") == .bool(true))
        #expect(ResultFormatter.parameterValue("null") == .null)
        #expect(ResultFormatter.parameterValue(#"["2202.05262", 2]"#) == .list([.string("2202.05262"), .int(2)]))
        #expect(ResultFormatter.parameterValue(#""2502.17516""#) == .string("2502.17516"))
    }

    @Test func arxivIdsAndNonJSONNumbersAreStrings() {
        #expect(ResultFormatter.parameterValue("2502.17516") == .string("2502.17516"))
        #expect(ResultFormatter.parameterValue("1706.03762") == .string("1706.03762"))
        #expect(ResultFormatter.parameterValue("0704.0001") == .string("0704.0001"))
        #expect(ResultFormatter.parameterValue("2502.17516v2") == .string("2502.17516v2"))
        #expect(ResultFormatter.parameterValue("007") == .string("007"))
        #expect(ResultFormatter.parameterValue("+5") == .string("+5"))
        #expect(ResultFormatter.parameterValue("1.") == .string("1."))
        #expect(ResultFormatter.parameterValue("10.1234/abc") == .string("10.1234/abc"))
        #expect(ResultFormatter.parameterValue("causal-tracing") == .string("causal-tracing"))
    }
}

/// JSON string escapes read one way wherever JSON is read: stored properties (`JSONValue`) and
/// command-line parameters (the query stage's reader).
@Suite("JSON string escapes")
struct JSONStringEscapeTests {
    @Test(arguments: [
        (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""tab\tnl\ncr\rbs\bff\f""#, "tab\tnl\ncr\rbs\u{8}ff\u{C}"),
        (#""\u00e9t\u00C9""#, "étÉ"),
        (#""\ud83d\ude00!""#, "😀!"),
        (#""lone \ud800 high""#, "lone \u{FFFD} high"),
        (#""\ud800\u0041""#, "\u{FFFD}A"),
        (#""lone \udc00 low""#, "lone \u{FFFD} low"),
        (#""plain ünïcode""#, "plain ünïcode"),
    ])
    func decoded(json: String, text: String) {
        #expect(JSONValue.parse(json) == .string(text))
        #expect(ResultFormatter.parameterValue(json) == .string(text))
    }

    @Test(arguments: [#""\u12""#, #""\uZZZZ""#, #""open"#, #""ends in \"#])
    func malformed(json: String) {
        #expect(JSONValue.parse(json) == nil)
        // Not JSON: the parameter is the text itself.
        #expect(ResultFormatter.parameterValue(json) == .string(json))
    }
}
