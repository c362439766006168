// Every .bib under ../shared/fixtures/bibtex: parses without a crash, the syntax tree covers every
// byte and writes the file back byte for byte, and the entries equal what the real bibtex sees.
import Foundation
import LitBibTeX
import Testing

struct FixtureTests {
    static let files = Fixtures.bibFiles()

    /// The fields and entry types dump.bst declares (the only ones the oracle can show).
    static let oracleFields: Set<String> = [
        "abstract", "address", "annote", "author", "booktitle", "chapter", "date", "doi", "edition", "editor",
        "eprint", "eprinttype", "isbn", "issn", "archiveprefix", "primaryclass", "howpublished", "institution",
        "journal", "key", "keywords", "month", "note", "number", "organization", "pages", "publisher", "school",
        "series", "title", "type", "url", "volume", "year",
    ]
    static let oracleTypes: Set<String> = [
        "article", "book", "booklet", "collection", "conference", "dataset", "electronic", "inbook",
        "incollection", "inproceedings", "manual", "mastersthesis", "misc", "mvbook", "online", "patent",
        "periodical", "phdthesis", "proceedings", "report", "software", "techreport", "thesis", "unpublished", "www",
    ]

    @Test func fixturesArePresent() throws {
        try #require(Fixtures.available, "../shared/fixtures/bibtex is absent")
        #expect(Self.files.count > 100)
    }

    @Test(arguments: files)
    func losslessRoundTrip(_ file: String) throws {
        let bytes = try Fixtures.read(file)
        let tree = BibTeXParser.parse(BibTeXSource(path: file, bytes: bytes))
        #expect(tree.write() == bytes)
        // Items partition the file: each starts where the previous ended.
        var offset: Int32 = 0
        for item in tree.items {
            #expect(item.start == offset)
            #expect(item.end >= item.start)
            offset = item.end
            for field in tree.fields(of: item) {
                #expect(field.nameStart >= item.start && field.nameEnd <= item.end)
                for part in tree.parts(of: field) { #expect(part.start >= field.nameEnd && part.end <= item.end) }
            }
        }
        #expect(Int(offset) == bytes.count)
        // The semantic view builds without trouble and every diagnostic is positioned.
        let db = BibTeXDatabase(tree)
        for diagnostic in db.diagnostics { #expect(diagnostic.span != nil, "\(diagnostic)") }
    }

    /// Values as bibtex writes them: white space compressed (it also wraps long lines at spaces).
    static func normalised(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    @Test(arguments: files)
    func agreesWithBibtex(_ file: String) throws {
        try #require(Fixtures.hasBibtex, "bibtex is not installed; skipping the oracle comparison")
        let path = Fixtures.bibtex.appendingPathComponent(file).path
        let db = try Fixtures.parse(file)
        let oracle = try Fixtures.oracle(path)
        let utf8 = db.tree.source.encoding == .utf8
        // The oracle decodes bibtex's output as UTF-8, so Latin-1 bytes come back as U+FFFD there.
        let asciiOnly: (String) -> String = { String($0.unicodeScalars.map { $0.isASCII ? Character($0) : "?" }) }
        #expect(db.entries.map { utf8 ? $0.key : asciiOnly($0.key) }
                == oracle.entries.map { utf8 ? $0.key : asciiOnly($0.key) }, "\(file)")
        guard db.entries.count == oracle.entries.count else { return }
        for (entry, want) in zip(db.entries, oracle.entries) {
            let wantType = want.type.hasSuffix(" @@") ? String(want.type.dropLast(3)) : want.type
            #expect((Self.oracleTypes.contains(entry.type) ? entry.type : "") == wantType, "\(file) \(entry.key)")
            var got: [String: String] = [:]
            for field in entry.fields where Self.oracleFields.contains(field.name) {
                got[field.name] = Self.normalised(field.value)
            }
            got = got.filter { !$0.value.isEmpty }
            // The oracle reads bibtex's output, which bibtex wraps at 79 columns at a space or a tab:
            // a wrap before the closing tab leaves " @@" on the value, and a wrap at the tab after a
            // long field's name loses the field. Undo the first; accept the second only when the
            // record was long enough to be wrapped.
            var wanted: [String: String] = [:]
            for (name, value) in want.fields where !name.contains(" ") {
                var v = Self.normalised(value)
                if v.hasSuffix(" @@") { v.removeLast(3) }
                wanted[name] = v
            }
            for (name, value) in got where wanted[name] == nil
                && "@@F\t\(entry.key)\t\(name)\t\(value)\t@@".utf8.count > 79 {
                wanted[name] = value
            }
            if utf8 {
                let differing = Set(got.keys).union(wanted.keys).filter { got[$0] != wanted[$0] }.sorted()
                let report = differing.map { "\($0): ours=\(got[$0] ?? "nil") bibtex=\(wanted[$0] ?? "nil")" }
                #expect(differing.isEmpty, "\(file) \(entry.key): \(report)")
            } else {
                #expect(Set(got.keys) == Set(wanted.keys), "\(file) \(entry.key)")
            }
        }
        // Errors: bibtex's messages with their lines, in order.
        let errors = oracle.messages.compactMap { message -> String? in
            guard let range = message.range(of: "---line ") else { return nil }
            if message.hasPrefix("Warning--") { return nil }
            let line = message[range.upperBound...].prefix(while: \.isNumber)
            return "\(message[..<range.lowerBound])@\(line)"
        }
        var ours = db.tree.errors.map { "\($0.bibtexMessage)@\(db.lines.line(Int($0.offset)))" }
        ours += db.diagnostics.filter { $0.id == "bibtex.repeated-entry" }.map { "Repeated entry@\($0.span!.line)" }
        #expect(ours.sorted() == errors.sorted(), "\(file)")
    }
}
