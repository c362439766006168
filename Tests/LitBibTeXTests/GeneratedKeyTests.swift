// Keys of generated entries: made unique after the entries are written (each base's suffixes taken in
// order, past every key already used), and put into an entry written without one.
import LitBibTeX
import LitModel
import Testing

@Suite struct GeneratedKeyTests {
    /// The rule `uniqueKeys` follows, tried from `a` for every duplicate: what it must still give.
    static func naiveUniqueKeys(_ bases: [String], taken: Set<String>) -> [String] {
        var used = taken
        return bases.map { base in
            if used.insert(base).inserted { return base }
            for n in 0... {
                var suffix = "", k = n
                repeat {
                    suffix = String(Array("abcdefghijklmnopqrstuvwxyz")[k % 26]) + suffix
                    k = k / 26 - 1
                } while k >= 0
                if used.insert(base + suffix).inserted { return base + suffix }
            }
            preconditionFailure("unreachable")
        }
    }

    @Test func manyPapersSharingABaseKeepTheirSuffixes() {
        #expect(BibTeXWriter.uniqueKeys(["x", "x", "xa", "x"], taken: ["xb"]) == ["x", "xa", "xaa", "xc"])
        // 60 papers on one base (past `z` into `aa`), mixed with bases that are another's suffixed key.
        var bases: [String] = []
        for k in 0..<60 { bases += ["wang2025sparse", k % 7 == 0 ? "wang2025sparsec" : "li2024probe", "wang2025sparseab"] }
        let taken: Set<String> = ["wang2025sparseb", "li2024probea", "wang2025sparsez"]
        let keys = BibTeXWriter.uniqueKeys(bases, taken: taken)
        #expect(keys == Self.naiveUniqueKeys(bases, taken: taken))
        #expect(Set(keys).count == keys.count)
    }

    @Test func aKeyPutInLaterGivesTheSameEntry() {
        var record = WorkRecord(via: "atom", line: 1)
        record.title = "Sparse Autoencoders Find Features in CLIP"
        record.year = 2025
        record.authors = [PersonName(display: "Ana Wang", family: "Wang", given: "Ana")]
        record.arxiv = ArxivID("2501.00001")
        for venue in [nil, "Transactions on Machine Learning Research"] {
            record.venue = venue
            var generator = BibTeXWriter.Generator()
            var keyless: [UInt8] = Array("% before\n".utf8)
            let start = keyless.count
            let at = generator.appendEntry(record, key: "", options: .init(), to: &keyless) - start
            var later = BibTeXWriter.FileBuilder()
            later.appendGenerated(keyless[start...], key: "wang2025sparse", at: at)
            var direct = BibTeXWriter.FileBuilder()
            direct.appendGenerated(Array(BibTeXWriter.write(record, key: "wang2025sparse").utf8))
            let text = String(decoding: later.finish(), as: UTF8.self)
            #expect(text == String(decoding: direct.finish(), as: UTF8.self))
            #expect(text.hasPrefix(venue == nil ? "@misc{wang2025sparse,\n" : "@article{wang2025sparse,\n"), "\(text)")
        }
    }
}
