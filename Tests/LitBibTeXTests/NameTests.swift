// Name splitting against the real bibtex: a small style prints format.name$'s First|von|Last|Jr for
// every author and editor of a file, and our splitter must give the same parts. Plus LaTeX decoding.
import Foundation
import LitBibTeX
import LitModel
import Testing

struct NameTests {
    /// A style that prints every name of every author and editor field, split by bibtex.
    static let namesStyle = """
    ENTRY { author editor } {} {}
    INTEGERS { n i }
    STRINGS { s t }
    FUNCTION {names}
    { 't :=
      's :=
      s empty$
        'skip$
        { s num.names$ 'n :=
          #1 'i :=
          { n i < #0 = }
          { "@@N" "\t" * cite$ * "\t" * t * "\t" * s i "{ff{ }}|{vv{ }}|{ll{ }}|{jj{ }}" format.name$ * write$ newline$
            i #1 + 'i := }
          while$ }
      if$
    }
    FUNCTION {dump} { author "author" names  editor "editor" names }
    READ
    ITERATE {dump}

    """

    /// bibtex's split of every name in a file: "key\tfield" → ["First|von|Last|Jr", …].
    static func bibtexNames(_ path: String) throws -> [String: [String]] {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: URL(fileURLWithPath: path), to: dir.appendingPathComponent("in.bib"))
        try namesStyle.write(to: dir.appendingPathComponent("names.bst"), atomically: true, encoding: .utf8)
        try "\\citation{*}\n\\bibdata{in}\n\\bibstyle{names}\n".write(to: dir.appendingPathComponent("in.aux"),
                                                                      atomically: true, encoding: .utf8)
        try Fixtures.run(Fixtures.which("bibtex")!, ["-terse", "in"], in: dir)
        let bbl = String(decoding: (try? Data(contentsOf: dir.appendingPathComponent("in.bbl"))) ?? Data(), as: UTF8.self)
        var records: [String] = []
        for line in bbl.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@@N") { records.append(String(line)) }
            else if !records.isEmpty && !line.isEmpty { records[records.count - 1] += " " + line.trimmingCharacters(in: .whitespaces) }
        }
        var out: [String: [String]] = [:]
        for record in records {
            let parts = record.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { continue }
            out["\(parts[1])\t\(parts[2])", default: []].append(parts[3])
        }
        return out
    }

    static func ours(_ name: BibTeXName) -> String {
        [name.first, name.von, name.last, name.jr].map { $0.joined(separator: " ") }.joined(separator: "|")
    }

    static let files: [String] = Fixtures.bibFiles().filter {
        $0.hasPrefix("python-bibtexparser") || $0.hasSuffix("names.bib") || $0.hasSuffix("names_x.bib")
            || $0.hasPrefix("xiaoxl") || $0.hasSuffix("biblatex-examples.bib")
    }

    @Test(arguments: files)
    func namesSplitAsBibtexSplitsThem(_ file: String) throws {
        try #require(Fixtures.hasBibtex, "bibtex is not installed; skipping the name oracle")
        let db = try Fixtures.parse(file)
        let expected = try Self.bibtexNames(Fixtures.bibtex.appendingPathComponent(file).path)
        var compared = 0
        for entry in db.entries {
            for field in ["author", "editor"] {
                guard let value = entry[field], let want = expected["\(entry.key)\t\(field)"] else { continue }
                // bibtex wraps long output lines at a space: compare with runs of spaces folded.
                let fold: (String) -> String = { $0.split(separator: " ").joined(separator: " ") }
                let list = BibTeXNames.split(value)
                var got = list.names.map(Self.ours)
                if list.andOthers { got.append("||others|") }
                #expect(got.map(fold) == want.map(fold), "\(file) \(entry.key) \(field): \(value)")
                compared += 1
            }
        }
        if db.entries.contains(where: { $0["author"] != nil }) && db.tree.source.encoding == .utf8 {
            #expect(compared > 0, "\(file): no names compared")
        }
    }

    @Test func bibtexForms() {
        func split(_ s: String) -> [String] { BibTeXNames.split(s).names.map(Self.ours) }
        #expect(split("Ludwig van Beethoven") == ["Ludwig|van|Beethoven|"])
        #expect(split("van Beethoven, Ludwig") == ["Ludwig|van|Beethoven|"])
        #expect(split("Ford, Jr., Henry") == ["Henry||Ford|Jr."])
        #expect(split("Jean-Paul Sartre") == ["Jean Paul||Sartre|"])
        #expect(split("John Smith-Jones") == ["John||Smith Jones|"])
        #expect(split("{Barnes and Noble, Inc.}") == ["||{Barnes and Noble, Inc.}|"])
        #expect(split("Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin")
                == ["Charles Louis Xavier Joseph|de la|Vall{\\'e}e Poussin|"])
        #expect(split("Alpha AND Beta") == ["||Alpha|", "||Beta|"])
        #expect(split("{\\'E}douard Masterly") == ["{\\'E}douard||Masterly|"])
        #expect(split("{\\'e}douard Masterly") == ["|{\\'e}douard|Masterly|"])
        let others = BibTeXNames.split("A. Lin and B. Basu and others")
        #expect(others.andOthers && others.names.count == 2)
    }

    @Test func personNames() {
        let name = BibTeXNames.split("de la Vall{\\'e}e Poussin, Charles").names[0].personName
        #expect(name.family == "de la Vallée Poussin")
        #expect(name.given == "Charles")
        #expect(name.display == "Charles de la Vallée Poussin")
        #expect(BibTeXNames.split("M{\\\"u}ller, J{\\\"{o}}rg").names[0].personName.display == "Jörg Müller")
    }

    @Test func latexDecoding() {
        #expect(LaTeX.decode("Schr{\\\"o}dinger") == "Schrödinger")
        #expect(LaTeX.decode("\\'{e}t\\'e {\\`a} Z{\\\"{u}}rich") == "été à Zürich")
        #expect(LaTeX.decode("Stra{\\ss}e \\& Co --- 10--20") == "Straße & Co — 10–20")
        #expect(LaTeX.decode("{\\o}ster {\\AE}sir {\\l}{\\'o}d{\\'z} {\\'\\i}") == "øster Æsir łódź í")
        #expect(LaTeX.decode("A~B \\emph{Attention} is {All} You Need") == "A B Attention is All You Need")
        #expect(LaTeX.decode("An $\\ell_1$ penalty") == "An $\\ell_1$ penalty")
        #expect(LaTeX.decode("\\c{c}a \\v{s}ik \\H{o} \\k{a} \\=a \\.z") == "ça šik ő ą ā ż")
        #expect(LaTeX.decode("``quoted''") == "“quoted”")
        #expect(LaTeX.decode("100\\% of \\#1") == "100% of #1")
    }

    @Test func latexEncodingRoundTrips() {
        for text in ["Schrödinger", "Ševčík", "Straße & Co", "łódź", "Æsir", "naïve café", "í"] {
            let encoded = LaTeX.encode(text)
            let ascii = encoded.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(text) → \(encoded)")
            #expect(LaTeX.decode(encoded) == text, "\(text) → \(encoded)")
        }
    }
}
