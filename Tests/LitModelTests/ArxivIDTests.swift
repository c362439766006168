import Testing
import LitModel

@Suite struct ArxivIDTests {
    @Test(arguments: [
        ("2502.17516", "2502.17516", nil as Int?),
        ("2502.17516v2", "2502.17516", 2),
        ("arXiv:2502.17516v3", "2502.17516", 3),
        ("http://arxiv.org/abs/2502.17516v1", "2502.17516", 1),
        ("https://arxiv.org/pdf/2502.17516.pdf", "2502.17516", nil),
        ("10.48550/arXiv.2502.17516", "2502.17516", nil),
        ("hep-th/9901001v2", "hep-th/9901001", 2),
        ("http://arxiv.org/abs/astro-ph/0601001v1", "astro-ph/0601001", 1),
        ("math.GT/0309136", "math.GT/0309136", nil),
        ("0808.0539", "0808.0539", nil),
    ])
    func parses(text: String, base: String, version: Int?) {
        let id = ArxivID(text)
        #expect(id?.base == base)
        #expect(id?.version == version)
    }

    @Test(arguments: ["abc", "", "2513.12345", "12345.1234", "hep-th/99", "10.1000/xyz"])
    func rejects(text: String) {
        #expect(ArxivID(text) == nil)
    }

    @Test func doiNormalises() {
        #expect(DOI.normalise("https://doi.org/10.1000/ABC.") == "10.1000/abc")
        #expect(DOI.normalise("doi:10.18653/v1/2023.acl-long.1") == "10.18653/v1/2023.acl-long.1")
        #expect(DOI.normalise("not a doi") == nil)
        #expect(DOI.arxiv("10.48550/arXiv.2502.17516")?.base == "2502.17516")
    }

    @Test func diagnosticRendersCaret() {
        let d = Diagnostic.error("t", "bad value", at: SourceSpan(file: "a.bib", line: 2, column: 5, length: 3))
        #expect(d.rendered(source: "x\nabc defgh\n") == """
            a.bib:2:5: error: bad value
             2 | abc defgh
               |     ^~~
            """)
    }
}
