// `--param name=value` values: JSON, except numbers not written as JSON writes them and text shaped
// like a new-style arXiv identifier, which stay strings.
import Testing
import LitQuery

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
