// The lua-bibtex-parser oracle suite: entries, values after expansion and errors (with line) must
// equal what the real bibtex reported for each case.
import Foundation
import LitBibTeX
import Testing

struct OracleSuiteTests {
    struct Expected: Decodable {
        struct Entry: Decodable { var key: String; var type: String; var fields: [String: String] }
        struct Exception: Decodable { var level: String; var message: String; var line: Int }
        var preamble: String
        var entries: [Entry]
        var exceptions: [Exception]
    }

    static let cases: [String] = {
        let dir = Fixtures.bibtex.appendingPathComponent("lua-bibtex-parser-oracle")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".bib") }.map { String($0.dropLast(4)) }.sorted()
    }()

    @Test func suiteIsPresent() throws {
        try #require(Fixtures.available, "../shared/fixtures/bibtex is absent; skipping the oracle suite")
        #expect(Self.cases.count >= 19)
    }

    @Test(arguments: cases)
    func oracleCase(_ name: String) throws {
        let db = try Fixtures.parse("lua-bibtex-parser-oracle/\(name).bib")
        let json = try Data(contentsOf: Fixtures.bibtex.appendingPathComponent("lua-bibtex-parser-oracle/\(name).json"))
        let expected = try JSONDecoder().decode(Expected.self, from: json)
        #expect(db.preamble == expected.preamble)
        #expect(db.entries.map(\.key) == expected.entries.map(\.key))
        #expect(db.entries.map(\.type) == expected.entries.map(\.type))
        for (entry, want) in zip(db.entries, expected.entries) {
            var got: [String: String] = [:]
            for field in entry.fields { got[field.name] = field.value }
            // bibtex matches field names without regard to case; we report them lower-cased.
            let wanted = Dictionary(want.fields.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
            #expect(got == wanted, "entry \(entry.key)")
        }
        let errors = db.tree.errors.map { "\($0.bibtexMessage)@\(db.lines.line(Int($0.offset)))" }
        let want = expected.exceptions.filter { $0.level == "error" }.map { "\($0.message)@\($0.line)" }
        #expect(errors == want)
        // Every error is a positioned diagnostic.
        let rendered = db.diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(rendered.count == want.count)
        for line in rendered { #expect(line.hasPrefix("lua-bibtex-parser-oracle/\(name).bib:")) }
    }
}
