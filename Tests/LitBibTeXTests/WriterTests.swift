// The writer: parse → write → parse gives the same entries for every fixture; what we write runs
// through the real bibtex with plain.bst without an error or a warning our output caused; generated
// entries for a generated Atom corpus compile cleanly; keys, title protection and escapes.
import Foundation
import LitAtom
import LitBibTeX
import LitModel
import LitStore
import Testing

struct WriterTests {
    static let files = Fixtures.bibFiles()

    @Test(arguments: files)
    func parseWriteParse(_ file: String) throws {
        let tree = BibTeXParser.parse(BibTeXSource(path: file, bytes: try Fixtures.read(file)))
        let before = BibTeXDatabase(tree, crossref: false).entries.filter { !$0.hasError }
        let text = before.map { BibTeXWriter.write($0) }.joined(separator: "\n")
        let again = BibTeXDatabase(BibTeXParser.parse(path: "written.bib", text: text), crossref: false)
        #expect(again.tree.errors.isEmpty, "\(file): \(again.diagnostics.map(\.description))")
        #expect(again.entries.count == before.count, "\(file)")
        for (a, b) in zip(before, again.entries) {
            #expect(a.type == b.type && a.key == b.key, "\(file) \(a.key)")
            #expect(a.fields.map(\.name) == b.fields.map(\.name), "\(file) \(a.key)")
            #expect(a.fields.map(\.value) == b.fields.map(\.value), "\(file) \(a.key)")
        }
    }

    /// bibtex's errors and warnings on a file (with plain.bst, every key cited), line numbers removed.
    static func bibtexMessages(_ text: String) throws -> (errors: [String], warnings: Set<String>) {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(text.utf8).write(to: dir.appendingPathComponent("out.bib"))
        try "\\citation{*}\n\\bibdata{out}\n\\bibstyle{plain}\n".write(to: dir.appendingPathComponent("out.aux"),
                                                                      atomically: true, encoding: .utf8)
        try Fixtures.run(Fixtures.which("bibtex")!, ["-terse", "out"], in: dir)
        let log = String(decoding: (try? Data(contentsOf: dir.appendingPathComponent("out.blg"))) ?? Data(), as: UTF8.self)
        var errors: [String] = []
        var warnings = Set<String>()
        for line in log.split(separator: "\n").map(String.init) {
            if line.hasPrefix("Warning--") { warnings.insert(line) }
            else if line.contains("---line") || line.hasPrefix("I was expecting") || line.hasPrefix("I'm skipping")
                        || line.hasPrefix("Illegal") || line.hasPrefix("Repeated") || line.hasPrefix("You're missing") {
                errors.append(line)
            }
        }
        return (errors, warnings)
    }

    @Test(arguments: files)
    func writtenFixturesCompileWithBibtex(_ file: String) throws {
        try #require(Fixtures.hasBibtex, "bibtex is not installed; skipping")
        let bytes = try Fixtures.read(file)
        let tree = BibTeXParser.parse(BibTeXSource(path: file, bytes: bytes))
        guard tree.source.encoding == .utf8 else { return }   // bibtex reads Latin-1 bytes differently
        let db = BibTeXDatabase(tree, crossref: false)
        let entries = db.entries.filter { !$0.hasError }
        let ours = try Self.bibtexMessages(entries.map { BibTeXWriter.write($0) }.joined(separator: "\n"))
        let original = try Self.bibtexMessages(String(decoding: bytes, as: UTF8.self))
        // Errors reading our file: none. Errors the style meets in the data (odd names): no more than
        // in the original.
        let readErrors = ours.errors.filter { !$0.hasPrefix("while executing") }
        #expect(readErrors.isEmpty, "\(file): \(readErrors)")
        #expect(ours.errors.count - readErrors.count <= original.errors.filter { $0.hasPrefix("while executing") }.count)
        let extra = ours.warnings.subtracting(original.warnings)
        #expect(extra.isEmpty, "\(file): warnings our output caused: \(extra.sorted())")
    }

    /// Atom records of a small generated corpus → generated entries → bibtex: not one message.
    @Test func generatedEntriesCompileCleanly() throws {
        try #require(Fixtures.hasBibtex, "bibtex is not installed; skipping")
        let generator = Fixtures.shared.appendingPathComponent("bench/gen_corpus.py")
        try #require(FileManager.default.fileExists(atPath: generator.path), "gen_corpus.py is absent")
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixtures.run("/usr/bin/env", ["python3", generator.path, "--papers", "400", "--out", dir.path, "--jobs", "1"])
        var records: [WorkRecord] = []
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("atom").path).sorted()
        for page in pages {
            _ = try AtomReader.read(path: dir.appendingPathComponent("atom/\(page)").path) { records.append($0) }
        }
        #expect(records.count == 400)
        let keys = BibTeXWriter.uniqueKeys(records.map(BibTeXWriter.baseKey))
        #expect(Set(keys).count == keys.count)
        for utf8 in [false, true] {
            let text = zip(records, keys).map { record, key in
                BibTeXWriter.write(record, key: key, options: .init(utf8: utf8))
            }.joined(separator: "\n")
            let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
            if !utf8 { #expect(ascii) }
            let messages = try Self.bibtexMessages(text)
            #expect(messages.errors.isEmpty, "\(messages.errors.prefix(5))")
            #expect(messages.warnings.isEmpty, "\(messages.warnings.sorted().prefix(5))")
            // And it reads back to the same titles and authors.
            let db = BibTeXDatabase(path: "gen.bib", text: text)
            #expect(db.entries.count == records.count)
            for (entry, record) in zip(db.entries, records) {
                let back = entry.workRecord()
                #expect(back.arxiv?.base == record.arxiv?.base)
                #expect(back.authors.map(\.family) == record.authors.map(\.family), "\(entry.key)")
                #expect(Fingerprint.normalise(back.title ?? "") == Fingerprint.normalise(record.title ?? ""), "\(entry.key)")
            }
        }
    }

    @Test func titleProtectionAndKeys() {
        #expect(BibTeXWriter.protectTitle("Probing CLIP and LLaVA with BLIP-2 on ImageNet")
                == "Probing {CLIP} and {LLaVA} with {BLIP-2} on {ImageNet}")
        #expect(BibTeXWriter.protectTitle("An $\\ell_1$ Penalty for {DiT}") == "An $\\ell_1$ Penalty for {DiT}")
        #expect(BibTeXWriter.protectTitle("Logit Lens for LLaVA-1.5 and ViT-B/16.") == "Logit Lens for {LLaVA-1.5} and {ViT-B/16.}")
        var record = WorkRecord(via: "atom", line: 1)
        record.title = "A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models"
        record.year = 2025
        record.authors = [PersonName(display: "Zihao Lin", family: "Lin", given: "Zihao")]
        record.month = 2
        record.arxiv = ArxivID("2502.17516v1")
        let written = BibTeXWriter.write(record, key: "lin2025survey")
        #expect(written.contains("month         = feb,"), "\(written)")
        #expect(written.contains("eprint        = {2502.17516},"))
        #expect(written.contains("title         = {A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models}"))
        #expect(BibTeXWriter.baseKey(for: record) == "lin2025survey")
        #expect(BibTeXWriter.uniqueKeys(["lin2025survey", "lin2025survey", "x", "lin2025survey"])
                == ["lin2025survey", "lin2025surveya", "x", "lin2025surveyb"])
        #expect(BibTeXWriter.escape("50% & α_1 {unbalanced", utf8: false) == "50\\% \\& $\\alpha$\\_1 {unbalanced}")
    }

    @Test func verbatimEntriesKeepTheirBytesAndStrings() {
        let text = """
        @string{procof = "Proceedings of the "}
        @string{cvpr = procof # "CVPR"}
        @string{unused = "x"}

        @InProceedings{a,
           title = {A},   booktitle = cvpr, month = jun,
        }
        """
        let tree = BibTeXParser.parse(path: "in.bib", text: text)
        var reader = BibTeXReader(tree)
        reader.collectStrings = true
        var verbatim: [BibTeXWriter.Either] = []
        reader.read { entry in
            verbatim.append(.verbatim(.init(text: tree.text(of: tree.items[entry.item]), strings: entry.strings)))
        }
        let out = BibTeXWriter.file(verbatim)
        #expect(out.contains("@InProceedings{a,\n   title = {A},   booktitle = cvpr, month = jun,\n}"))
        #expect(out.contains("@string{procof") && out.contains("@string{cvpr") && !out.contains("unused"))
        let db = BibTeXDatabase(path: "out.bib", text: out)
        #expect(db.entries.first?["booktitle"] == "Proceedings of the CVPR")
        #expect(db.entries.first?["month"] == "June")
    }
}
