import Foundation
import Testing
import LitAtom
import LitModel

/// Reads a feed into an array of records.
func readAll(_ path: String) throws -> ([WorkRecord], AtomReadResult) {
    var records: [WorkRecord] = []
    let result = try AtomReader.read(path: path) { records.append($0) }
    return (records, result)
}

@Suite(.enabled(if: Fixtures.available, "../shared/fixtures/atom is absent: Atom fixture tests skipped"))
struct AtomReaderTests {
    @Test func classicShapeWithOldStyleIDAndJournalRef() throws {
        let (records, result) = try readAll(Fixtures.doc("example_typical_response_all_electron.xml"))
        #expect(result.diagnostics.isEmpty)
        #expect(result.feed.totalResults == 1000)
        #expect(result.feed.startIndex == 0)
        #expect(result.feed.itemsPerPage == 1)
        #expect(records.count == 1)
        let r = try #require(records.first)
        #expect(r.arxiv?.base == "hep-ex/0307015")
        // The id has no version; the alternate link names v1.
        #expect(r.arxiv?.version == 1)
        #expect(r.title == "Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA")
        #expect(r.abstract?.hasPrefix("Multi-electron production is studied at high electron transverse momentum in positron-") == true)
        #expect(r.abstract?.contains("\n") == false)
        #expect(r.abstract?.hasSuffix("respectively.") == true)
        #expect(r.authors.map(\.display) == ["H1 Collaboration"])
        #expect(r.comment == "23 pages, 8 figures and 4 tables")
        #expect(r.journalRef == "Eur.Phys.J. C31 (2003) 17-29")
        #expect(r.primaryCategory == "hep-ex")
        #expect(r.categories == ["hep-ex"])
        #expect(r.published == "2003-07-07T13:46:39-04:00")
        #expect(r.year == 2003 && r.month == 7)
        #expect(r.links["pdf"] == "http://arxiv.org/pdf/hep-ex/0307015v1")
        #expect(r.links["alternate"] == "http://arxiv.org/abs/hep-ex/0307015v1")
        #expect(r.line == 10)
    }

    @Test(arguments: [
        Fixtures.doc("example_error_incorrect_id_format.xml"),
        Fixtures.golden("id_abc_s0_m100_b79c8dcf6bc3.body.xml"),
    ])
    func errorFeedIsReportedNotRead(path: String) throws {
        let (records, result) = try readAll(path)
        #expect(records.isEmpty)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.id == "atom.api-error")
        #expect(error.message.contains("incorrect id format for"))
        #expect(error.span?.file == path)
        #expect((error.span?.line ?? 0) > 1)
    }

    @Test(arguments: ["id_0000.0000_s0_m100_8b51d9633a68.body.xml", "id_0808.05394_s0_m100_7b0c7d0a7cdd.body.xml"])
    func emptyFeed(name: String) throws {
        let (records, result) = try readAll(Fixtures.golden(name))
        #expect(records.isEmpty)
        #expect(result.diagnostics.isEmpty)
        #expect(result.feed.totalResults == 0)
        #expect(result.feed.itemsPerPage == 100)
    }

    @Test func newShapeWithAffiliationsInOrder() throws {
        let (records, result) = try readAll(Fixtures.golden("id_astro-ph_0601001_s0_m100_3150dca9dc76.body.xml"))
        #expect(result.diagnostics.isEmpty)
        let r = try #require(records.first)
        #expect(r.arxiv == ArxivID(base: "astro-ph/0601001", version: 1))
        #expect(r.authors.map(\.display) == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"])
        #expect(r.authors.map(\.affiliations) == [["Ohio State"], ["Ohio State"], ["CfA"], ["Warsaw University Observatory"]])
        #expect(r.authors[2].family == "Gaudi" && r.authors[2].given == "B. Scott")
        #expect(r.journalRef == "ActaAstron.56:1-50,2006")
        #expect(r.abstract?.hasPrefix("We derive the frequencies") == true)
        #expect(r.abstract?.contains("Gould & Morgan (2003)") == true)
        #expect(r.abstract?.contains("V_max<17.5") == true)
        #expect(r.links["alternate"] == "https://arxiv.org/abs/astro-ph/0601001v1")
    }

    @Test func oldStyleIDWithVersion() throws {
        let (records, _) = try readAll(Fixtures.golden("id_quant-ph_0201082v1_s0_m100_86989fe779ef.body.xml"))
        let r = try #require(records.first)
        #expect(r.arxiv == ArxivID(base: "quant-ph/0201082", version: 1))
        #expect(r.primaryCategory == "quant-ph")
        #expect(r.categories == ["quant-ph", "cs.PL"])
        #expect(r.comment == "32 pages")
        #expect(r.doi == nil && r.journalRef == nil)
        #expect(r.authors.map(\.display) == ["Stephen Blaha"])
    }

    @Test func manyAuthorsKeepTheirOrder() throws {
        let (records, _) = try readAll(Fixtures.golden("id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.body.xml"))
        let r = try #require(records.first)
        #expect(r.arxiv?.description == "1707.08567v1")
        #expect(r.authors.count == 34)
        #expect(r.authors.first?.display == "Kees A. Schouhamer Immink")
        #expect(r.authors[4].display == "Peter H. N. de With")
        #expect(r.authors[28].display == "Joost van der Putten")
        #expect(r.authors[28].family == "van der Putten")
        #expect(r.authors.last?.display == "Hirosuke Yamamoto")
        #expect(r.categories == ["cs.IT"])
    }

    @Test func shortTitleAndNoComment() throws {
        let (records, _) = try readAll(Fixtures.golden("id_2104.12255v1_s0_m100_6ae69987ffe1.body.xml"))
        let r = try #require(records.first)
        #expect(r.title == "0")
        #expect(r.comment == nil)
        #expect(r.primaryCategory == "cs.CR")
        #expect(r.authors.map(\.display) == ["Quan Thoi Minh Nguyen"])
        let (other, _) = try readAll(Fixtures.golden("id_1605.08386_s0_m100_199195aa31ad.body.xml"))
        #expect(other.first?.arxiv?.description == "1605.08386v1")
        #expect(other.first?.categories == ["math.CO", "math.ST"])
        #expect(other.first?.authors.map(\.display) == ["Caprice Stanley", "Tobias Windisch"])
    }

    @Test func searchPageWithDOIsAndTotals() throws {
        let (records, result) = try readAll(Fixtures.golden("q_testing_s0_m100_cfe7536492ca.body.xml"))
        #expect(result.diagnostics.isEmpty)
        #expect(records.count == 100)
        #expect(result.feed.totalResults == 214881)
        #expect(result.feed.itemsPerPage == 100)
        let first = try #require(records.first { $0.arxiv?.base == "2202.12139" })
        #expect(first.doi == "10.1109/icstw55395.2022.00035")
        #expect(first.links["doi"] == "https://doi.org/10.1109/ICSTW55395.2022.00035")
        #expect(first.journalRef == "Artificial Intelligence in Software Testing @ 2022 IEEE International Conference on Software Testing, Verification and Validation Workshops (ICSTW)")
        #expect(first.authors.map(\.display) == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"])
        #expect(first.categories == ["cs.SE", "cs.LG"] && first.primaryCategory == "cs.SE")
        let gaudel = try #require(records.first { $0.arxiv?.base == "0804.0970" })
        #expect(gaudel.authors.map(\.affiliations) == [["LRI"], ["IBISC"]])
        #expect(gaudel.doi == nil)
        let old = try #require(records.first { $0.arxiv?.base == "hep-ph/0301050" })
        #expect(old.arxiv?.version == 2)
        #expect(old.doi == "10.1016/j.physletb.2003.08.045")
        #expect(old.journalRef == "Phys.Lett.B573:94-100,2003")
        let robot = try #require(records.first { $0.arxiv?.base == "2108.07910" })
        #expect(robot.primaryCategory == "cs.RO")
        #expect(robot.categories == ["cs.RO", "cs.SE"])
        // Paging: the second page of ten starts at 10.
        let (page2, second) = try readAll(Fixtures.golden("q_testing_s10_m10_34e56e15aaac.body.xml"))
        #expect(second.feed.startIndex == 10)
        #expect(page2.count == 10)
    }
}

@Suite struct AtomReaderErrorTests {
    func write(_ text: String) throws -> String {
        let path = try Fixtures.tempDir().appendingPathComponent("feed.xml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let entry = """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <entry>
            <id>http://arxiv.org/abs/2502.17516v2</id>
            <title>A Survey on Mechanistic Interpretability
          for Multi-Modal Foundation Models</title>
            <summary>  Line one
        line two.
        </summary>
            <author><name>Zihao Lin</name></author>
          </entry>
        </feed>
        """

    @Test func multiLineTextIsNormalised() throws {
        let (records, result) = try readAll(try write(Self.entry))
        #expect(result.diagnostics.isEmpty)
        #expect(records.first?.title == "A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models")
        #expect(records.first?.abstract == "Line one line two.")
        #expect(records.first?.arxiv?.description == "2502.17516v2")
    }

    @Test func mismatchedTagIsPositioned() throws {
        let path = try write(Self.entry.replacingOccurrences(of: "</summary>", with: "</sumary>"))
        let (_, result) = try readAll(path)
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        #expect(error.span?.file == path)
        #expect(error.span?.line == 9)
        #expect(error.span?.column == 10)
        #expect(error.message.contains("mismatch"))
    }

    @Test func truncatedFileIsPositioned() throws {
        let text = Self.entry
        let path = try write(String(text.prefix(text.count - 40)))
        let (_, result) = try readAll(path)
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        #expect(error.span?.file == path)
        #expect((error.span?.line ?? 0) >= 9)
        #expect(error.description.hasPrefix("\(path):"))
        #expect(error.notes.contains { $0.contains("truncated") })
    }

    @Test func missingFileIsADiagnostic() throws {
        let (_, result) = try readAll("/nonexistent/feed.xml")
        #expect(result.diagnostics.first?.id == "atom.unreadable")
    }

    @Test func hashIsSHA256OfTheFile() throws {
        let path = try write(Self.entry)
        let result = try AtomReader.read(path: path, hashing: true) { _ in }
        #expect(result.sha256 == SHA256.hex(of: Array(Self.entry.utf8)))
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
