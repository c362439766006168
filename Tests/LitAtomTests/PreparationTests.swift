import Foundation
import Testing
import LitModel
@testable import LitStore

/// The JSON a prepared record carries, checked against the generic encoder (`JSONValue.object`,
/// keys sorted) applied to the properties each text stands for.
@Suite struct PreparationTests {
    static let source = SourceFile(path: "/data/feeds/page \"1\".xml", format: "atom")

    /// The Paper properties of a new node made from `r`.
    static func nodeProps(_ r: WorkRecord) -> [String: JSONValue] {
        var p = Dictionary(uniqueKeysWithValues: GraphWriter.statedPairs(r))
        if let v = r.arxiv?.version {
            p["version"] = .int(v)
            p["versions"] = .array([.int(v)])
        }
        if let key = r.bibKey {
            p["key"] = .string(key)
            p["bibkeys"] = .array([.string(key)])
        }
        return p
    }

    /// `provenance.fields` of `r`: stated properties (long texts as true), version, key, authors,
    /// categories, links, then the extra fields not named so far.
    static func provenance(_ r: WorkRecord) -> [String: JSONValue] {
        var f: [String: JSONValue] = [:]
        for (key, value) in GraphWriter.statedPairs(r) {
            if case .string(let text) = value, text.utf8.count > GraphWriter.provenanceTextLimit {
                f[key] = .bool(true)
            } else {
                f[key] = value
            }
        }
        if let v = r.arxiv?.version { f["version"] = .int(v) }
        if let key = r.bibKey { f["key"] = .string(key) }
        if !r.authors.isEmpty { f["authors"] = .array(r.authors.map { .string($0.display) }) }
        if !r.categories.isEmpty { f["categories"] = .array(r.categories.map(JSONValue.string)) }
        if !r.links.isEmpty { f["links"] = .object(r.links.mapValues(JSONValue.string)) }
        let named = Set(f.keys)
        for (k, v) in r.extra where !named.contains(k) { f[k] = .string(v) }
        return f
    }

    static func records() -> [WorkRecord] {
        var atom = WorkRecord(via: "atom", line: 12)
        atom.arxiv = ArxivID(base: "2502.17516", version: 3)
        atom.title = "A \"quoted\" title\\with a backslash, a tab\tand é"
        atom.abstract = String(repeating: "Long abstract text. ", count: 20)
        atom.published = "2025-02-24T18:00:00Z"
        atom.updated = "2025-02-25T09:00:00Z"
        atom.year = 2025
        atom.month = 2
        atom.primaryCategory = "cs.LG"
        atom.categories = ["cs.LG", "cs.AI", "stat.ML"]
        atom.authors = [PersonName(display: "Ada Lovelace", family: "Lovelace", given: "Ada", affiliations: ["Analytical Engine Co."]),
                        PersonName(display: "Alan Turing", family: "Turing", given: "Alan")]
        atom.links = ["alternate": "http://arxiv.org/abs/2502.17516v3", "pdf": "http://arxiv.org/pdf/2502.17516v3",
                      "doi": "http://dx.doi.org/10.1000/x"]
        atom.doi = "10.1000/x"
        atom.comment = "12 pages"
        atom.journalRef = ""

        var bib = WorkRecord(via: "bibtex", line: 3)
        bib.bibKey = "lovelace1843notes"
        bib.entryType = "article"
        bib.title = "Notes"
        bib.year = 1843
        bib.venue = "Scientific Memoirs"
        bib.keywords = ["engines", "notes"]
        bib.authors = [PersonName(display: "Ada Lovelace", family: "Lovelace", given: "Ada")]
        // Extra fields sort among the named ones; an extra field named like a stated one is dropped,
        // one named like a member the record does not state is kept.
        bib.extra = ["aaa": "first", "note": "a note", "title": "dropped", "categories": "kept", "links": "kept too",
                     "zzz": "last", "key2": "between key and keywords", "pages": "1--10", "Upper": "capital"]

        var bare = WorkRecord(via: "atom", line: 1)
        bare.arxiv = ArxivID(base: "hep-th/9901001", version: nil)
        bare.links = ["alternate": "http://arxiv.org/abs/hep-th/9901001"]
        bare.extra = ["version": "kept: no version stated"]

        var control = WorkRecord(via: "bibtex", line: 99)
        control.bibKey = ""
        control.title = "Bell \u{07} and nul \u{0} and \r\n line"
        control.year = -44
        control.month = 10
        return [atom, bib, bare, control, WorkRecord(via: "atom", line: 1)]
    }

    @Test func nodeAndProvenanceJSONAreCanonical() {
        for record in Self.records() {
            let prepared = PreparedRecord(record, source: Self.source)
            #expect(String(decoding: prepared.createJSON, as: UTF8.self) == JSONValue.object(Self.nodeProps(record)).encoded)
            #expect(String(decoding: prepared.provenanceJSON, as: UTF8.self) == JSONValue.object(Self.provenance(record)).encoded)
        }
    }

    @Test func edgePropertiesCarryEvidence() {
        let record = Self.records()[0]
        let prepared = PreparedRecord(record, source: Self.source)
        let evidence = #""line":12,"source":"/data/feeds/page \"1\".xml","via":"atom"}"#
        #expect(record.authors.indices.map { String(decoding: prepared.authorEdge($0), as: UTF8.self) } == [
            #"{"affiliations":["Analytical Engine Co."],"position":1,"# + evidence,
            #"{"position":2,"# + evidence,
        ])
        #expect(record.categories.indices.map { String(decoding: prepared.categoryEdge($0), as: UTF8.self) } == [
            #"{"primary":true,"# + evidence, #"{"primary":false,"# + evidence, #"{"primary":false,"# + evidence,
        ])
        #expect(String(decoding: prepared.venueEdge, as: UTF8.self) == "{" + evidence)
    }

    /// Every byte value at every offset of a 20-byte text, escaped as the byte-at-a-time rule says.
    @Test func quotingMatchesTheBytewiseRule() {
        func reference(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for b in bytes {
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += Array(#"\n"#.utf8)
                case 0x0D: out += Array(#"\r"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case ..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
                default: out.append(b)
                }
            }
            return out + [0x22]
        }
        for b in 0...255 {
            for offset in 0..<20 {
                var bytes = Array("abcdefghijklmnopqrst".utf8)
                bytes[offset] = UInt8(b)
                var out: [UInt8] = []
                bytes.withUnsafeBufferPointer { JSONValue.appendQuoted(utf8: $0, to: &out) }
                #expect(out == reference(bytes), "byte \(b) at \(offset)")
            }
        }
        var empty: [UInt8] = []
        JSONValue.appendQuoted("", to: &empty)
        #expect(empty == [0x22, 0x22])
    }

    /// The fingerprint as its definition reads: normalised title, year, and the last word of the
    /// family name (split at spaces and hyphens) normalised without spaces.
    @Test(arguments: [
        ("Attention Is All You Need!", "Vaswani"), ("  --  ", "Smith"), ("Title", ""), ("Title", "- -"),
        ("Title", "van der Berg"), ("Title", "Smith-Jones"), ("Title", "O'Neil  "), ("Title", "Jones-"),
        ("GPT-4: a 2nd look (v2)", "de la Cruz Jr."), ("Über Transformers", "Müller"), ("Plain", "Müller-Lüdenscheidt"),
        ("Plain", "Nguyễn Văn"), ("Ａｔｔｅｎｔｉｏｎ", "Smith"), ("Title", "e\u{301} x"),
    ])
    func fingerprintFollowsItsDefinition(title: String, family: String) {
        let t = Fingerprint.normalise(title)
        let lastWord = family.split(whereSeparator: { $0 == " " || $0 == "-" }).last.map(String.init) ?? family
        let f = Fingerprint.normalise(lastWord).replacingOccurrences(of: " ", with: "")
        let expected = t.isEmpty || f.isEmpty ? nil : "\(t)|2017|\(f)"
        #expect(Fingerprint.make(title: title, year: 2017, family: family) == expected)
    }
}
