// The record builder's fast paths against the general code they shortcut: LaTeX decoding on UTF-8
// bytes against the scalar decoder, and the byte readers of arXiv ids, DOIs and years against the
// model's parsers, over every field value of the fixtures and over generated strings of LaTeX's
// special characters.
import Foundation
@testable import LitBibTeX
import LitModel
import Testing

struct FastPathTests {
    /// Field values (and name parts) of every fixture .bib, plus the names they split into.
    static func fixtureValues() throws -> [String] {
        var values: [String] = []
        for file in Fixtures.bibFiles() {
            let db = try Fixtures.parse(file)
            for entry in db.entries {
                for field in entry.fields {
                    values.append(field.value)
                    if field.name == "author" || field.name == "editor" {
                        for name in BibTeXNames.split(field.value).names {
                            values += [name.displayRaw, name.familyRaw, name.rawFirst]
                        }
                    }
                }
            }
        }
        return values
    }

    /// Deterministic strings over letters, spaces and every character the decoder treats specially.
    static func generatedValues(count: Int) -> [String] {
        let pieces = ["a", "Z", " ", "  ", "\t", "\n", "\r", "\r\n", "\\", "{", "}", "~", "-", "--", "---", "`", "``",
                      "'", "''", "$", "$$", "\\'", "\\\"", "\\ss", "\\o ", "\\&", "\\emph{", "\\alpha", "$\\alpha$",
                      "$\\beta", "\\textendash", "\\i", "\\'{e}", "\\v{s}", "ü", "é", "\u{301}", "\\\\", "\\ ", "1",
                      "x", "\\c", "\\,", "%", "#", "\\$", "${", "\\relax ", "\\LaTeX{}", "e\\'",
                      "Š", "ß", "\\texttrademark", "\\'i", "\\\"{\\i}", "{\\'e}", "\\c c", " \u{301}", "\\é",
                      "\\'{ab}", "\\'{}", "\\'1", "\\u{a}", "\\'\\i ", "\\d{a}", "α", "$é$", "$\u{301}$",
                      "\\\"\\o", "\\\u{301}", "\\'{\\i}", "\\'{\\^e}", "\\euro", "\\\"", "中", "\u{200D}",
                      "\\H o", "\\'{\\i }", "$\\alpha\\$"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (0..<count).map { _ in
            (0..<(1 + next() % 8)).map { _ in pieces[next() % pieces.count] }.joined()
        }
    }

    @Test("LaTeX decoding on UTF-8 bytes equals the general decoder")
    func byteDecoder() throws {
        var values = Self.generatedValues(count: 20_000)
        if Fixtures.available { values += try Self.fixtureValues() } else {
            print("FastPathTests: ../shared/fixtures missing; generated strings only")
        }
        var checked = 0
        for value in values {
            guard let fast = LaTeX.ByteDecoder.decode(value) else { continue }
            #expect(fast == LaTeX.decodeScalars(value), "\(value.debugDescription)")
            checked += 1
        }
        #expect(checked > 5_000)
        // Accents on one letter and letters beyond ASCII stay on bytes.
        #expect(LaTeX.ByteDecoder.decode("Schr{\\\"o}dinger Ševčík \\c c {\\'\\i}") == "Schrödinger Ševčík ç í")
    }

    @Test("Names and keywords made on bytes equal the general splitting")
    func namesAndKeywords() throws {
        var values = Self.generatedValues(count: 5_000)
        values += ["van der Berg, Jan and Smith, Jr., John and others", "A and others ", "A and  others\u{A0}",
                   "A and others\u{301}", "A and Others", "Ševčík, Callum E. and {\\'E}mile Zola", "a, b;; c ;",
                   " , ", "x,\r\ny", "é, ü ;ß", "k\u{301}, l"]
        if Fixtures.available { values += try Self.fixtureValues() }
        for value in values {
            let general = BibTeXNames.split(value).names.map(\.personName)
            #expect(BibTeXNames.persons(value) == general, "\(value.debugDescription)")
            let keywords = value.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmed }
                .filter { !$0.isEmpty }
            #expect(BibTeXEntry.keywordList(value) == keywords, "\(value.debugDescription)")
        }
    }

    @Test("Case-folded comparisons on bytes equal lowercased() ones")
    func foldedComparisons() throws {
        var texts = Self.generatedValues(count: 3_000)
        texts += ["CoRR", "corr", "CORR ", "arXiv preprint", "ARXIV", "arxi", "Arxiv\u{301}", "\u{212A}orr", "İ",
                  "https://DOI.org/10.1/x", "doi.or", "Proceedings of X", "PROCEEDINGS", "proceeding", "ARXİV", ""]
        if Fixtures.available { texts += try Self.fixtureValues() }
        for text in texts {
            for word in ["arxiv", "corr", "doi.org/", "proceedings"] {
                let lowered = text.lowercased()
                let staticWord: StaticString = word == "arxiv" ? "arxiv" : word == "corr" ? "corr"
                    : word == "doi.org/" ? "doi.org/" : "proceedings"
                #expect(BibTeXEntry.foldedEquals(text, staticWord) == (lowered == word), "\(text.debugDescription)")
                #expect(BibTeXEntry.foldedHasPrefix(text, staticWord) == lowered.hasPrefix(word), "\(text.debugDescription)")
                #expect(BibTeXEntry.foldedContains(text, staticWord) == lowered.contains(word), "\(text.debugDescription)")
            }
        }
    }

    @Test("arXiv ids and years read on bytes equal the general readers")
    func identifiers() throws {
        var texts = ["2502.17516", "2502.17516v2", "2502.17516V12", "1803.0003", "1803.0003v1", "2513.17516",
                     "2500.17516", "2502.175", "2502.175166", "2502.17516v", "2502.17516v1x", "hep-th/9901001",
                     "2502.17516v0123456789", "2502.17516v007", " 2502.17516", "2502.17516 ", "arXiv:2502.17516",
                     "2502-17516", "25021.7516", "2502.17516.", "０２.17516"]
        texts += Self.generatedValues(count: 2_000)
        for text in texts {
            if let fast = BibTeXEntry.plainArxivID(text) {
                #expect(fast == ArxivID(text), "\(text.debugDescription)")
            }
        }
        #expect(BibTeXEntry.plainArxivID("2502.17516v2") == ArxivID(base: "2502.17516", version: 2))
        let years = ["2024", "c. 2024", "2024-03-01", "24", "20245", "MMXXIV", "", "in press", "1999 and 2000",
                     "２０２４", "2024年", "é 2024", "12345 2024"]
        for year in years {
            let entry = BibTeXEntry(type: "misc", key: "k", fields: [(name: "year", value: year)])
            let general: Int? = {
                let digits = year.unicodeScalars.drop(while: { !CharacterSet.decimalDigits.contains($0) })
                    .prefix(while: { CharacterSet.decimalDigits.contains($0) })
                return digits.count == 4 ? Int(String(String.UnicodeScalarView(digits))) : nil
            }()
            #expect(entry.yearNumber == general, "\(year.debugDescription)")
        }
    }

    @Test("DOIs read on bytes equal DOI.normalise and DOI.arxiv; the digit test skips only non-ids")
    func dois() throws {
        var texts = ["10.1000/ABC", "10.1000/abc.", "10.1000/abc.,;", " 10.1000/abc ", "\t10.1000/abc\n",
                     "https://doi.org/10.1000/XYZ", "HTTPS://DOI.ORG/10.1000/xyz", "http://dx.doi.org/10.1/x",
                     "doi:10.1/x", "DOI: 10.1/x", "doi 10.1/x", "doi:  10.1/x .", "10.1/x\n.", "10.1/x\r\n.",
                     "10.48550/arXiv.2502.17516", "10.48550/ARXIV.2502.17516v2", "10.48550/arxiv.hep-th/9901001",
                     "10.48550/arxiv.2502.175", "10.48550/arxiv.", "11.1000/abc", "10.1000", "10./", "10.",
                     "", " ", "doi:", "https://doi.org/", "10.1000/é", "10.1000/abc\u{00A0}", "\u{00A0}10.1000/abc",
                     "10.1000/a b", "10.1000/abc\u{301}", "doi:\u{2003}10.1/x", "\u{FF11}0.1/x", "10.1000/x\u{0B}"]
        texts += Self.generatedValues(count: 2_000)
        if Fixtures.available { texts += try Self.fixtureValues() }
        for text in texts {
            #expect(BibTeXEntry.normaliseDOI(text) == DOI.normalise(text), "\(text.debugDescription)")
            if let doi = DOI.normalise(text) {
                #expect(BibTeXEntry.arxivInDOI(doi) == DOI.arxiv(doi), "\(doi.debugDescription)")
            }
            #expect(BibTeXEntry.generalArxivID(text) == ArxivID(text), "\(text.debugDescription)")
        }
        for text in ["arXiv:2502.17516", "https://arxiv.org/abs/hep-th/9901001v2", "preprint", "v2", "1234567"] {
            #expect(BibTeXEntry.generalArxivID(text) == ArxivID(text), "\(text.debugDescription)")
        }
    }

    @Test("Homonym numbers go as the pattern says, whatever shortcut is taken")
    func homonymNumbers() throws {
        var texts = ["Qian Li 0004 and Wei Zhang", "Qian Li 0004", "Qian Li 0004 and Wei Zhang 0012", "Li 12345 and X",
                     "Li 0004 0005 and X", "Li  0004 and X", "Björn Li 0003 and Ševčík", "Björn Huang", "Ana ٠١٢٣",
                     "Ana Li ٠١٢٣ and B", "Li 2024", "O'Brien and van der Berg", "Li 0004\tand X", ""]
        texts += Self.generatedValues(count: 2_000)
        if Fixtures.available { texts += try Self.fixtureValues() }
        for text in texts {
            let general = text.replacingOccurrences(of: #"(?<=\S)\s+\d{4}(?=\s+and\s|\s*$)"#, with: "",
                                                    options: .regularExpression)
            #expect(BibTeXEntry.withoutHomonymNumbers(text) == general, "\(text.debugDescription)")
        }
    }

    @Test("Accents composed in place equal Foundation's NFC")
    func composition() throws {
        var texts: [String] = []
        // Every letter–mark pair the table holds, alone, twice over, and with a second mark.
        for (key, composite) in LaTeX.Composition.pairs {
            let base = Unicode.Scalar(UInt32(key >> 32))!, mark = Unicode.Scalar(UInt32(key & 0xFFFF_FFFF))!
            let pair = String(String.UnicodeScalarView([base, mark]))
            texts += [pair, "x" + pair + pair + " y", pair + "\u{323}", pair + "\u{301}", String(composite) + "\u{308}"]
        }
        // Letters with marks that compose with nothing, Greek with marks, dashes, quotes, Hangul.
        texts += ["q\u{301}", "\u{301}", "a\u{301}\u{301}", "e\u{302}\u{323}", "e\u{323}\u{302}",
                  "α\u{301}", "Ω", "K\u{212A}", "\u{212B}", "\u{2126}", "A\u{30A}\u{2014}", "\u{1100}\u{1161}",
                  "“Schro\u{308}dinger” – 1\u{2030}", "=\u{338}", "\u{2000}", "\u{340}", "e\u{34F}\u{301}",
                  "i\u{307}", "ı\u{301}"]
        texts += Self.generatedValues(count: 5_000).map(LaTeX.decodeScalars)
        for text in texts {
            #expect(LaTeX.composed(text) == text.precomposedStringWithCanonicalMapping, "\(text.debugDescription)")
            #expect(Array(LaTeX.composed(text).unicodeScalars) == Array(text.precomposedStringWithCanonicalMapping.unicodeScalars),
                    "\(text.debugDescription)")
        }
        #expect(LaTeX.Composition.pairs.count > 300)
    }
}
