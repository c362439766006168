// Bad input: each error is a positioned diagnostic and the entries around it still read; every
// mutation of a valid file (a byte deleted or doubled) parses without a trap and round-trips.
import Foundation
import LitBibTeX
import LitModel
import Testing

struct ParserTests {
    static let bad = """
    @article{before, title = {Kept before}, year = 2020}

    @article{unterminated, title = {Attention Is All {You Need, year = 2017}

    @misc{missingequals, title {x}}
    @misc{missingcomma, title = {x} year = 2020}
    @book{, title = {empty key is allowed}}
    @misc{quoted, title = "unbalanced } brace"}
    @misc{after, title = {Kept after}}
    @preamble{"x" 1}
    @string{s = }
    @misc{last, title = "ok" # s}
    """

    @Test func errorsArePositionedAndRecovered() {
        let db = BibTeXDatabase(path: "bad.bib", text: Self.bad)
        let errors = db.diagnostics.filter { $0.severity == .error }
        let rendered = errors.map(\.description)
        #expect(rendered.allSatisfy { $0.range(of: #"^bad\.bib:\d+:\d+: error: "#, options: .regularExpression) != nil },
                "\(rendered)")
        // Where each error is reported.
        let positions = errors.map { "\($0.span!.line):\($0.span!.column)" }
        #expect(positions == ["3:32", "5:28", "6:33", "8:35", "10:15", "11:13"], "\(rendered)")
        // The good entries all read; the bad ones are flagged.
        let good = db.entries.filter { !$0.hasError }.map(\.key)
        #expect(good == ["before", "", "after", "last"])
        #expect(db.entry("before")?["title"] == "Kept before")
        #expect(db.entry("after")?["title"] == "Kept after")
        #expect(db.entry("last")?["title"] == "ok")
        // The caret rendering names the line.
        let first = errors[0].rendered(source: Self.bad)
        #expect(first.contains("3 | @article{unterminated"))
        #expect(first.contains("runs on into the next entry"))
    }

    @Test func latin1IsDetected() {
        let bytes: [UInt8] = Array("@misc{k, author = {M".utf8) + [0xFC] + Array("ller, J}}".utf8)
        let db = BibTeXDatabase(path: "l1.bib", bytes: bytes)
        #expect(db.tree.source.encoding == .latin1)
        #expect(db.entries.first?["author"] == "Müller, J")
        #expect(db.diagnostics.contains { $0.id == "bibtex.latin1" && $0.severity == .warning })
        #expect(db.tree.write() == bytes)
    }

    @Test func parenthesesCaseAndCommentsAsBibtexReadsThem() {
        let text = """
        % a comment line with an email x@y is junk to bibtex
        @COMMENT{ skipped }
        @STRING(Conf = "Conf. on " # "Things")
        @InProceedings(p1, TITLE = {A {Nested {Brace}}}, BookTitle = conf # { 2024}, Month = FEB,
          Year = 2024, unknownfield = {kept})
        """
        let db = BibTeXDatabase(path: "c.bib", text: text)
        let p1 = db.entry("P1")
        #expect(p1?.type == "inproceedings")
        #expect(p1?["title"] == "A {Nested {Brace}}")
        #expect(p1?["booktitle"] == "Conf. on Things 2024")
        #expect(p1?["month"] == "February")
        #expect(p1?["year"] == "2024")
        #expect(p1?["unknownfield"] == "kept")
    }

    @Test func mutationsNeverTrap() throws {
        let valid = Array("""
        @string{j = "J"}
        @article{k1, author = {A. Lin and B. Basu}, title = "T {X}", journal = j # " 1", year = 2025}
        @misc(k2, title = {Y},)
        """.utf8)
        var count = 0
        for i in valid.indices {
            for mutated in [Array(valid[..<i] + valid[(i + 1)...]), Array(valid[...i] + valid[i...])] {
                let db = BibTeXDatabase(path: "m.bib", bytes: mutated)
                #expect(db.tree.write() == mutated)
                for d in db.diagnostics { #expect(d.span != nil) }
                count += 1
            }
        }
        #expect(count == valid.count * 2)
    }
}
