// Papers into the graph: entity resolution by identifier (arXiv id, DOI, BibTeX key, fingerprint) and
// the upsert that creates or merges a Paper with its authors, categories, venue, identifiers,
// provenance and full-text entry. Format-neutral: a WorkRecord in, a node id out.
import Foundation
import GRDB
import LitModel

/// The fingerprint of a work for matching without identifiers: normalised title | year | first
/// author's family name (last word, letters and digits only, diacritics folded).
public enum Fingerprint {
    ///     Fingerprint.make(title: "Attention Is All You Need!", year: 2017, family: "Vaswani")
    ///     // "attention is all you need|2017|vaswani"
    public static func make(title: String, year: Int, family: String) -> String? {
        if let fast = makeASCII(title: title, year: year, family: family) { return fast.isEmpty ? nil : fast }
        let t = normalise(title)
        let lastWord = family.split(whereSeparator: { $0 == " " || $0 == "-" }).last.map(String.init) ?? family
        let word = normalise(lastWord)
        let f = word.utf8.allSatisfy({ $0 < 0x80 })
            ? String(decoding: word.utf8.filter { $0 != 0x20 }, as: UTF8.self)
            : word.replacingOccurrences(of: " ", with: "")
        guard !t.isEmpty, !f.isEmpty else { return nil }
        return "\(t)|\(year)|\(f)"
    }

    /// `make` for an ASCII title and family name, in one buffer: nil when either is not ASCII, ""
    /// when `make` gives nil.
    private static func makeASCII(title: String, year: Int, family: String) -> String? {
        var title = title, family = family
        return title.withUTF8 { t in
            family.withUTF8 { f -> String? in
                // (Split as Characters, a non-ASCII name may differ: a combining mark joins a space.)
                for b in f where b >= 0x80 { return nil }
                // The family name's last word: split at spaces and hyphens, empty pieces dropped.
                var end = f.count
                while end > 0, f[end - 1] == 0x20 || f[end - 1] == 0x2D { end -= 1 }
                var start = end
                while start > 0, f[start - 1] != 0x20, f[start - 1] != 0x2D { start -= 1 }
                if end == 0 { start = 0; end = f.count }
                let capacity = t.count + f.count + 24
                var nonASCII = false
                let text = String(unsafeUninitializedCapacity: capacity) { out in
                    var n = 0
                    var space = false
                    for b in t {
                        if b >= 0x80 { nonASCII = true; return 0 }
                        let isUpper = b >= 0x41 && b <= 0x5A
                        if (b >= 0x30 && b <= 0x39) || isUpper || (b >= 0x61 && b <= 0x7A) {
                            if space && n > 0 { out[n] = 0x20; n += 1 }
                            space = false
                            out[n] = isUpper ? b + 0x20 : b
                            n += 1
                        } else {
                            space = true
                        }
                    }
                    if n == 0 { return 0 }
                    out[n] = UInt8(ascii: "|")
                    n += 1
                    for b in String(year).utf8 { out[n] = b; n += 1 }
                    out[n] = UInt8(ascii: "|")
                    n += 1
                    let familyStart = n
                    for b in f[start..<end] {
                        let isUpper = b >= 0x41 && b <= 0x5A
                        if (b >= 0x30 && b <= 0x39) || isUpper || (b >= 0x61 && b <= 0x7A) {
                            out[n] = isUpper ? b + 0x20 : b
                            n += 1
                        }
                    }
                    return n == familyStart ? 0 : n
                }
                return nonASCII ? nil : text
            }
        }
    }

    public static func make(_ record: WorkRecord) -> String? {
        guard let title = record.title, let year = record.year, let first = record.authors.first else { return nil }
        return make(title: title, year: year, family: first.family.isEmpty ? first.display : first.family)
    }

    /// Lower case, diacritics folded, anything but letters and digits as single spaces.
    public static func normalise(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var space = false
        var ascii = true
        for b in text.utf8 {
            if b >= 0x80 { ascii = false; break }
            let isDigit = b >= 0x30 && b <= 0x39
            let isUpper = b >= 0x41 && b <= 0x5A
            let isLower = b >= 0x61 && b <= 0x7A
            if isDigit || isUpper || isLower {
                if space && !out.isEmpty { out.append(0x20) }
                space = false
                out.append(isUpper ? b + 0x20 : b)
            } else {
                space = true
            }
        }
        if ascii { return String(decoding: out, as: UTF8.self) }
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var result = ""
        space = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if space && !result.isEmpty { result += " " }
                space = false
                result.unicodeScalars.append(scalar)
            } else {
                space = true
            }
        }
        return result.lowercased()
    }
}

/// A record with everything the store derives from it alone worked out in advance: its fingerprint
/// and the JSON text of its node, provenance and edge properties. Preparing needs no database, so a
/// reading thread can do it while the writing thread stores the records before it.
///
///     let prepared = PreparedRecord(record, source: writer.source)   // any thread
///     try writer.upsert(prepared, into: writer.resolve(prepared))    // the writing thread
public struct PreparedRecord: Sendable {
    public let record: WorkRecord
    /// `Fingerprint.make(record)`.
    public let fingerprint: String?
    /// The identifiers a new paper made from this record gets, as (kind, value): arXiv id, DOI,
    /// BibTeX key, fingerprint, in that order.
    public let idents: [(kind: String, value: String)]
    /// The stated properties (see `GraphWriter.statedPairs`).
    let stated: [(String, JSONValue)]
    /// The property object of a new Paper made from this record.
    let createJSON: [UInt8]
    /// `provenance.fields` of this record.
    let provenanceJSON: [UInt8]
    /// The property objects of the record's edges, one after the other: AUTHORED_BY (in author
    /// order), IN_CATEGORY (in category order), then PUBLISHED_IN; `edgeEnds[k]` ends the k-th.
    private let edgeText: [UInt8]
    private let edgeEnds: [Int]
    /// The run's numbering of interned names, when the record was prepared with one, and the numbers
    /// of the record's authors then its categories (in order).
    let slots: InternSlots?
    let slotNumbers: [Int32]
    /// The property object of a new Author node for each author this record was the first to name
    /// in the numbering (empty for the others, and no list at all when there is none: the writing
    /// thread writes one if it needs it).
    let authorNodes: [[UInt8]]

    /// The property object of the AUTHORED_BY edge of author `i`.
    func authorEdge(_ i: Int) -> ArraySlice<UInt8> { edge(i) }
    /// The property object of the IN_CATEGORY edge of category `i`.
    func categoryEdge(_ i: Int) -> ArraySlice<UInt8> { edge(record.authors.count + i) }
    /// The property object of the PUBLISHED_IN edge.
    var venueEdge: ArraySlice<UInt8> { edge(record.authors.count + record.categories.count) }
    private func edge(_ k: Int) -> ArraySlice<UInt8> { edgeText[(k == 0 ? 0 : edgeEnds[k - 1])..<edgeEnds[k]] }

    /// The numbers of the record's authors and categories (with a numbering).
    var authorSlots: ArraySlice<Int32> { slotNumbers.prefix(slots == nil ? 0 : record.authors.count) }
    var categorySlots: ArraySlice<Int32> { slotNumbers.dropFirst(slots == nil ? 0 : record.authors.count) }

    /// Prepares `record` as read from `source`; with `slots`, numbers its authors and categories in
    /// them (all records of a run's writer prepared with the same numbering, in the order written).
    public init(_ record: WorkRecord, source: SourceFile, slots: InternSlots? = nil) {
        self.init(record, source: source, fingerprint: Fingerprint.make(record), slots: slots)
    }

    init(_ record: WorkRecord, source: SourceFile, fingerprint: String?, slots: InternSlots? = nil) {
        self.record = record
        self.fingerprint = fingerprint
        self.slots = slots
        if let slots {
            var numbers: [Int32] = []
            numbers.reserveCapacity(record.authors.count + record.categories.count)
            var nodes: [[UInt8]] = []
            for (i, person) in record.authors.enumerated() {
                let (slot, new) = slots.number(author: person.display)
                numbers.append(slot)
                if new {
                    if nodes.isEmpty { nodes = Array(repeating: [], count: record.authors.count) }
                    nodes[i] = Self.authorObject(person)
                }
            }
            for category in record.categories { numbers.append(slots.number(category: category)) }
            slotNumbers = numbers
            authorNodes = nodes
        } else {
            slotNumbers = []
            authorNodes = []
        }
        var idents: [(kind: String, value: String)] = []
        idents.reserveCapacity(4)
        if let arxiv = record.arxiv { idents.append(("arxiv", arxiv.base)) }
        if let doi = record.doi { idents.append(("doi", doi)) }
        if let key = record.bibKey { idents.append(("bibkey", key)) }
        if let fingerprint { idents.append(("fingerprint", fingerprint)) }
        self.idents = idents
        stated = GraphWriter.statedPairs(record)
        createJSON = Self.createObject(record)
        provenanceJSON = Self.provenanceObject(record)
        // The edge property objects are written as `addEdge` writes them: the keys other than the
        // evidence in sorted order, then `line`, `source`, `via`.
        var evidence: [UInt8] = []
        evidence.reserveCapacity(48 + 2 * source.path.utf8.count)
        GraphWriter.appendEvidence(via: record.via, line: record.line, source: source.path, to: &evidence)
        let edges = record.authors.count + record.categories.count + 1
        var text: [UInt8] = []
        text.reserveCapacity(edges * (24 + evidence.count))
        var ends: [Int] = []
        ends.reserveCapacity(edges)
        for (i, person) in record.authors.enumerated() {
            text.append(UInt8(ascii: "{"))
            if !person.affiliations.isEmpty {
                text.append(contentsOf: "\"affiliations\":".utf8)
                ObjectWriter.appendStrings(person.affiliations, to: &text)
                text.append(UInt8(ascii: ","))
            }
            text.append(contentsOf: "\"position\":".utf8)
            ObjectWriter.appendInt(i + 1, to: &text)
            text.append(UInt8(ascii: ","))
            text.append(contentsOf: evidence)
            ends.append(text.count)
        }
        for category in record.categories {
            text.append(contentsOf: (category == record.primaryCategory ? "{\"primary\":true," : "{\"primary\":false,").utf8)
            text.append(contentsOf: evidence)
            ends.append(text.count)
        }
        text.append(UInt8(ascii: "{"))
        text.append(contentsOf: evidence)
        ends.append(text.count)
        edgeText = text
        edgeEnds = ends
    }

    /// The property object of a new Author node: `{"family":…,"given":…,"name":…}`, the keys in
    /// order, an empty family or given left out.
    static func authorObject(_ person: PersonName) -> [UInt8] {
        var o = ObjectWriter(capacity: 32 + person.display.utf8.count + person.family.utf8.count + person.given.utf8.count)
        o.string("family", person.family)
        o.string("given", person.given)
        o.string("name", person.display, keepEmpty: true)
        return o.finish()
    }

    /// The property object of a new Paper: `GraphWriter.statedPairs` plus `version`, `versions`,
    /// `key` and `bibkeys`, written member by member in key order (the canonical text of
    /// `JSONValue.object`, without building the values).
    static func createObject(_ r: WorkRecord) -> [UInt8] {
        var o = ObjectWriter(capacity: 256 + (r.abstract?.utf8.count ?? 0) + (r.title?.utf8.count ?? 0))
        o.string("abstract", r.abstract)
        o.string("arxiv", r.arxiv?.base)
        if let key = r.bibKey { o.strings("bibkeys", CollectionOfOne(key)) }
        o.string("comment", r.comment)
        o.string("doi", r.doi)
        o.string("entry_type", r.entryType)
        o.string("journal_ref", r.journalRef)
        o.string("key", r.bibKey, keepEmpty: true)
        o.strings("keywords", r.keywords)
        if let m = r.month { o.int("month", m) }
        o.string("primary_category", r.primaryCategory)
        o.string("published", r.published)
        o.string("title", r.title)
        o.string("updated", r.updated)
        o.string("venue", r.venue)
        if let v = r.arxiv?.version {
            o.int("version", v)
            o.key("versions")
            o.out.append(UInt8(ascii: "["))
            ObjectWriter.appendInt(v, to: &o.out)
            o.out.append(UInt8(ascii: "]"))
        }
        if let y = r.year { o.int("year", y) }
        return o.finish()
    }

    /// What this source stated, for `provenance.fields`: the stated properties (texts longer than
    /// `GraphWriter.provenanceTextLimit` as `true`) plus version, key, authors, categories, links and
    /// the extra fields not named so, written member by member in key order.
    static func provenanceObject(_ r: WorkRecord) -> [UInt8] {
        var o = ObjectWriter(capacity: 512 + 24 * r.authors.count)
        if !r.extra.isEmpty { o.pending = unnamedExtras(r) }
        let limit = GraphWriter.provenanceTextLimit
        o.text("abstract", r.abstract, limit: limit)
        o.text("arxiv", r.arxiv?.base, limit: limit)
        o.strings("authors", r.authors.lazy.map(\.display))
        o.strings("categories", r.categories)
        o.text("comment", r.comment, limit: limit)
        o.text("doi", r.doi, limit: limit)
        o.text("entry_type", r.entryType, limit: limit)
        o.text("journal_ref", r.journalRef, limit: limit)
        o.string("key", r.bibKey, keepEmpty: true)
        o.strings("keywords", r.keywords)
        if !r.links.isEmpty {
            o.key("links")
            o.out.append(UInt8(ascii: "{"))
            var first = true
            func member(_ key: String, _ value: String) {
                if !first { o.out.append(UInt8(ascii: ",")) }
                first = false
                JSONValue.appendQuoted(key, to: &o.out)
                o.out.append(UInt8(ascii: ":"))
                JSONValue.appendQuoted(value, to: &o.out)
            }
            for (key, value) in r.links.sorted(by: { $0.key < $1.key }) { member(key, value) }
            o.out.append(UInt8(ascii: "}"))
        }
        if let m = r.month { o.int("month", m) }
        o.text("primary_category", r.primaryCategory, limit: limit)
        o.text("published", r.published, limit: limit)
        o.text("title", r.title, limit: limit)
        o.text("updated", r.updated, limit: limit)
        o.text("venue", r.venue, limit: limit)
        if let v = r.arxiv?.version { o.int("version", v) }
        if let y = r.year { o.int("year", y) }
        return o.finish()
    }

    /// The record's extra fields whose names are not among the provenance members the record
    /// states, in key order.
    private static func unnamedExtras(_ r: WorkRecord) -> [(String, String)] {
        var extras: [(String, String)] = []
        extras.reserveCapacity(r.extra.count)
        for (key, value) in r.extra where !states(key, r) { extras.append((key, value)) }
        if extras.count > 1 { extras.sort { $0.0 < $1.0 } }
        return extras
    }

    /// Whether `provenanceObject` writes a member `key` of its own for `r`: a stated property
    /// (`GraphWriter.statedPairs`), or version, key, authors, categories, links.
    private static func states(_ key: String, _ r: WorkRecord) -> Bool {
        func has(_ text: String?) -> Bool { !(text ?? "").isEmpty }
        switch key {
        case "abstract": return has(r.abstract)
        case "arxiv": return has(r.arxiv?.base)
        case "comment": return has(r.comment)
        case "doi": return has(r.doi)
        case "entry_type": return has(r.entryType)
        case "journal_ref": return has(r.journalRef)
        case "keywords": return !r.keywords.isEmpty
        case "month": return r.month != nil
        case "primary_category": return has(r.primaryCategory)
        case "published": return has(r.published)
        case "title": return has(r.title)
        case "updated": return has(r.updated)
        case "venue": return has(r.venue)
        case "year": return r.year != nil
        case "version": return r.arxiv?.version != nil
        case "key": return r.bibKey != nil
        case "authors": return !r.authors.isEmpty
        case "categories": return !r.categories.isEmpty
        case "links": return !r.links.isEmpty
        default: return false
        }
    }
}

/// Writes a JSON object's members in the order given, which the caller makes the key order, so
/// that the text is canonical (as `JSONValue.object(…).encoded`). String members are written only
/// when not empty. Members in `pending` (sorted by key) are merged in before the first given key
/// that sorts after theirs.
struct ObjectWriter {
    var out: [UInt8] = []
    var pending: [(String, String)] = []
    private var next = 0

    init(capacity: Int) {
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "{"))
    }

    /// Starts the member `key`: the separator, the quoted key and the colon.
    mutating func key(_ key: StaticString) {
        if next < pending.count { flushPending(before: key) }
        separator()
        out.append(0x22)
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(0x22)
        out.append(UInt8(ascii: ":"))
    }

    private mutating func separator() {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
    }

    private mutating func flushPending(before key: StaticString?) {
        while next < pending.count, key.map({ Self.precedes(pending[next].0, $0) }) ?? true {
            separator()
            JSONValue.appendQuoted(pending[next].0, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONValue.appendQuoted(pending[next].1, to: &out)
            next += 1
        }
    }

    /// `a < key.description` (a key is ASCII), on the bytes while `a` is ASCII.
    static func precedes(_ a: String, _ key: StaticString) -> Bool {
        var a = a
        let k = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        let byBytes = a.withUTF8 { b -> Bool? in
            for i in 0..<b.count {
                let c = b[i]
                if c >= 0x80 { return nil }
                if i == k.count { return false }
                if c != k[i] { return c < k[i] }
            }
            return b.count < k.count
        }
        return byBytes ?? (a < key.description)
    }

    /// A string member, left out when nil or (unless `keepEmpty`) empty.
    mutating func string(_ key: StaticString, _ value: String?, keepEmpty: Bool = false) {
        guard let value, keepEmpty || !value.isEmpty else { return }
        self.key(key)
        JSONValue.appendQuoted(value, to: &out)
    }

    /// A list of strings, left out when empty.
    mutating func strings<C: Collection>(_ key: StaticString, _ values: C) where C.Element == String {
        guard !values.isEmpty else { return }
        self.key(key)
        Self.appendStrings(values, to: &out)
    }

    /// A stated text for provenance: `true` when longer than `limit` bytes.
    mutating func text(_ key: StaticString, _ value: String?, limit: Int) {
        guard let value, !value.isEmpty else { return }
        self.key(key)
        if value.utf8.count > limit {
            out.append(contentsOf: "true".utf8)
        } else {
            JSONValue.appendQuoted(value, to: &out)
        }
    }

    mutating func int(_ key: StaticString, _ value: Int) {
        self.key(key)
        Self.appendInt(value, to: &out)
    }

    mutating func finish() -> [UInt8] {
        flushPending(before: nil)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            out.append(contentsOf: String(value).utf8)
        }
    }

    static func appendStrings<C: Collection>(_ values: C, to out: inout [UInt8]) where C.Element == String {
        out.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONValue.appendQuoted(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// What a caller knows of a paper's edges without asking the graph (nil: not known, the graph
/// is asked): whether it has authors (AUTHORED_BY edges) and a venue (a PUBLISHED_IN edge).
public struct PaperEdgeFacts: Sendable, Equatable {
    public var hasAuthors: Bool?
    public var hasVenue: Bool?

    public init(hasAuthors: Bool? = nil, hasVenue: Bool? = nil) {
        self.hasAuthors = hasAuthors
        self.hasVenue = hasVenue
    }

    /// A paper just made from `record`: authors and venue as the record gives them.
    public init(created record: WorkRecord) {
        self.init(hasAuthors: !record.authors.isEmpty, hasVenue: !(record.venue ?? "").isEmpty)
    }
}

/// What `GraphWriter.merge` did: the outcome, the paper's properties as stored, and its edge facts
/// after the merge.
public struct PaperMerge {
    public var result: UpsertResult
    public var props: [String: JSONValue]
    public var facts: PaperEdgeFacts
}

extension GraphWriter {
    /// The Paper node this record describes, if the graph has it: by arXiv id, then DOI, then BibTeX
    /// key, then fingerprint. A DOI or fingerprint match whose node has a different arXiv id is no match.
    public func resolve(_ record: WorkRecord) throws -> Int64? {
        try resolve(record, fingerprint: fingerprint(record))
    }

    /// `resolve` for a prepared record.
    public func resolve(_ prepared: PreparedRecord) throws -> Int64? {
        try resolve(prepared.record, fingerprint: prepared.fingerprint)
    }

    private func resolve(_ record: WorkRecord, fingerprint: String?) throws -> Int64? {
        // One primary-key probe per identifier the record has (an OR of all four in one statement
        // costs SQLite several times as much).
        if let arxiv = record.arxiv, let node = try node(ident: "arxiv", arxiv.base) { return node }
        func compatible(_ node: Int64) throws -> Bool {
            guard let arxiv = record.arxiv else { return true }
            guard let other = try props(of: node)["arxiv"]?.stringValue else { return true }
            return other == arxiv.base
        }
        for (kind, value) in [("doi", record.doi), ("bibkey", record.bibKey), ("fingerprint", fingerprint)] {
            if let value, let node = try node(ident: kind, value), try compatible(node) { return node }
        }
        return nil
    }

    /// Creates the Paper for `record`, or merges it into `node` (from `resolve`, or a match the caller
    /// made). Re-applying the same record changes nothing and reports `.unchanged`.
    @discardableResult
    public func upsert(_ record: WorkRecord, into node: Int64?, policy: MergePolicy = .automatic) throws -> UpsertResult {
        try upsert(PreparedRecord(record, source: source, fingerprint: fingerprint(record)), into: node, policy: policy)
    }

    /// `upsert` for a prepared record (prepared for this writer's source).
    @discardableResult
    public func upsert(_ prepared: PreparedRecord, into node: Int64?, policy: MergePolicy = .automatic) throws -> UpsertResult {
        guard let node else { return try create(prepared, idents: prepared.idents) }
        return try merge(prepared, into: node, policy: policy, idents: prepared.idents).result
    }

    /// Merges `prepared` into the existing paper `node`: the work of `upsert` for a node, recording
    /// `idents` (those of `prepared.idents` the caller knows to name no node yet, or all of them),
    /// asking the graph only what `facts` leaves open, and with `removingStub` storing the paper
    /// as no longer a stub. Returns the paper's properties as stored.
    public func merge(_ prepared: PreparedRecord, into node: Int64, policy: MergePolicy = .automatic,
                      idents: [(kind: String, value: String)], facts: PaperEdgeFacts = PaperEdgeFacts(),
                      removingStub: Bool = false) throws -> PaperMerge {
        let record = prepared.record
        let old = try props(of: node)
        var props = old
        let storedVersion = old["version"]?.intValue
        let replace: Bool
        switch policy {
        case .replace: replace = true
        case .fillMissing: replace = false
        case .automatic:
            if let v = record.arxiv?.version { replace = storedVersion.map { v > $0 } ?? true } else { replace = false }
        }
        for (key, value) in prepared.stated where replace || props[key] == nil {
            props[key] = value
        }
        if let v = record.arxiv?.version {
            var versions = Set((old["versions"]?.arrayValue ?? []).compactMap(\.intValue))
            if let storedVersion { versions.insert(storedVersion) }
            versions.insert(v)
            props["versions"] = .array(versions.sorted().map(JSONValue.int))
            props["version"] = .int(versions.max()!)
        }
        if let key = record.bibKey {
            var keys = (old["bibkeys"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !keys.contains(key) { keys.append(key) }
            props["bibkeys"] = .array(keys.map(JSONValue.string))
            if props["key"] == nil { props["key"] = .string(key) }
        }
        var changed = props != old
        if removingStub { props.removeValue(forKey: "stub") }
        if props != old {
            try setProps(node, props)
            if props["title"] != old["title"] || props["abstract"] != old["abstract"] {
                try indexText(node: node, title: props["title"]?.stringValue, abstract: props["abstract"]?.stringValue,
                              replacing: (old["title"]?.stringValue, old["abstract"]?.stringValue))
            }
        }
        try addIdents(idents, node: node)
        let relations = try mergeRelations(prepared, paper: node, replace: replace, facts: facts)
        if relations.changed { changed = true }
        try addProvenance(node: node, line: record.line, json: prepared.provenanceJSON)
        return PaperMerge(result: UpsertResult(node: node, outcome: changed ? .updated : .unchanged), props: props,
                          facts: relations.facts)
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// The Paper properties a record states (without version lists and keys, which merge specially),
    /// as key–value pairs with distinct keys, in key order (the order JSON objects are written in,
    /// so that writing them sorts little).
    static func statedPairs(_ r: WorkRecord) -> [(String, JSONValue)] {
        var p: [(String, JSONValue)] = []
        p.reserveCapacity(16)
        func put(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { p.append((key, .string(value))) }
        }
        put("abstract", r.abstract)
        put("arxiv", r.arxiv?.base)
        put("comment", r.comment)
        put("doi", r.doi)
        put("entry_type", r.entryType)
        put("journal_ref", r.journalRef)
        if !r.keywords.isEmpty { p.append(("keywords", .array(r.keywords.map(JSONValue.string)))) }
        if let m = r.month { p.append(("month", .int(m))) }
        put("primary_category", r.primaryCategory)
        put("published", r.published)
        put("title", r.title)
        put("updated", r.updated)
        put("venue", r.venue)
        if let y = r.year { p.append(("year", .int(y))) }
        return p
    }

    /// Text fields longer than this are recorded in provenance as `true` (stated; the value is on
    /// the node and in the full-text index) rather than copied.
    static let provenanceTextLimit = 240

    /// The record's fingerprint, remembered for the record last asked about (resolve, then upsert).
    private func fingerprint(_ r: WorkRecord) -> String? {
        guard let title = r.title, let year = r.year, let first = r.authors.first else { return nil }
        if let memo = fingerprintMemo, memo.title == title, memo.year == year, memo.author == first.display {
            return memo.value
        }
        let value = Fingerprint.make(r)
        fingerprintMemo = (title, year, first.display, value)
        return value
    }

    /// A new Paper from `prepared`, recording `idents` (those of `prepared.idents` the caller
    /// knows to name no node yet, or all of them: a value already taken keeps its node).
    public func create(_ prepared: PreparedRecord, idents: [(kind: String, value: String)]) throws -> UpsertResult {
        let record = prepared.record
        // The paper's node and those of its authors new to the graph, made together.
        let (id, authors) = try internAuthors(prepared, paper: prepared.createJSON)
        try addIdents(idents, node: id)
        try addRelations(prepared, paper: id, authors: authors)
        try indexText(node: id, title: nonEmpty(record.title), abstract: nonEmpty(record.abstract))
        try addProvenance(node: id, line: record.line, json: prepared.provenanceJSON)
        return UpsertResult(node: id, outcome: .created)
    }

    /// Records identifiers of `node`; a value another node already has keeps that node.
    private func addIdents(_ idents: [(kind: String, value: String)], node: Int64) throws {
        // One statement for a paper's identifiers (rows are taken in order, as one by one).
        try insertRows(idents.indices, perStatement: Self.identsPerInsert, &identInsertStatements,
                       sql: { Self.identInsertSQL[$0] }) { insert, k in
            insert.bind(idents[k].kind)
            insert.bind(idents[k].value)
            insert.bind(node)
        }
    }

    /// Identifiers per multi-row INSERT in `addIdents`: a paper has at most four.
    static let identsPerInsert = 4

    /// The INSERT of n identifiers, by n (index 0 unused).
    private static let identInsertSQL: [String] = (0...identsPerInsert).map { n in
        "INSERT OR IGNORE INTO ident(kind, value, node) VALUES "
            + Array(repeating: "(?, ?, ?)", count: max(n, 1)).joined(separator: ", ")
    }

    /// AUTHORED_BY, IN_CATEGORY and PUBLISHED_IN edges of a new paper.
    private func addRelations(_ p: PreparedRecord, paper: Int64, authors: [Int64]) throws {
        var edges = takeEdgeBatch()
        defer { edgeBatch = edges }
        addAuthors(p, paper: paper, authors: authors, to: &edges)
        try addCategories(p, paper: paper, to: &edges)
        try addVenue(p, paper: paper, to: &edges)
        try insertEdges(edges)
    }

    /// Brings the edges of an existing paper in line with the record: whether anything changed, and
    /// what the paper has now as far as known. Replacing swaps the author and category lists for the
    /// record's; filling adds them only where the paper has none.
    private func mergeRelations(_ p: PreparedRecord, paper: Int64, replace: Bool,
                                facts: PaperEdgeFacts) throws -> (changed: Bool, facts: PaperEdgeFacts) {
        let r = p.record
        var changed = false
        var now = facts
        var edges = takeEdgeBatch()
        defer { edgeBatch = edges }
        if !r.authors.isEmpty {
            // A paper known to have authors keeps them unless the record replaces them.
            let current = facts.hasAuthors == true && !replace ? nil : try authorList(paper)
            let wanted = r.authors.map(\.display)
            if let current, current.isEmpty || (replace && current != wanted) {
                try deleteEdges("AUTHORED_BY", from: paper)
                addAuthors(p, paper: paper, authors: try internAuthors(p, paper: nil).authors, to: &edges)
                changed = true
            }
            now.hasAuthors = true
        }
        if !r.categories.isEmpty {
            let current = try categoryList(paper)
            let wanted = r.categories.map { ($0, $0 == r.primaryCategory) }
            if current.isEmpty || (replace && !current.elementsEqual(wanted, by: { $0 == $1 })) {
                try deleteEdges("IN_CATEGORY", from: paper)
                try addCategories(p, paper: paper, to: &edges)
                changed = true
            }
        }
        if let venue = r.venue {
            let has = try facts.hasVenue ?? (outDegree("PUBLISHED_IN", from: paper) > 0)
            if !has {
                try addVenue(p, paper: paper, to: &edges)
                changed = true
            }
            now.hasVenue = has || !venue.isEmpty
        }
        try insertEdges(edges)
        return (changed, now)
    }

    private func authorList(_ paper: Int64) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT json_extract(a.props, '$.name') FROM edge e JOIN node a ON a.id = e.dst
            WHERE e.src = ? AND e.type = 'AUTHORED_BY' ORDER BY json_extract(e.props, '$.position'), e.id
            """), arguments: [paper])
    }

    private func categoryList(_ paper: Int64) throws -> [(String, Bool)] {
        try Row.fetchAll(db.cachedStatement(sql: GraphStore.paperCategoriesSQL), arguments: [paper]).map { ($0["id"], $0["prim"]) }
    }

    /// The writer's edge batch, empty, with the room its earlier papers' edges made (give it back
    /// through `edgeBatch`).
    private func takeEdgeBatch() -> EdgeBatch {
        var edges = EdgeBatch()
        swap(&edges, &edgeBatch)
        edges.types.removeAll(keepingCapacity: true)
        edges.rows.removeAll(keepingCapacity: true)
        edges.props.removeAll(keepingCapacity: true)
        return edges
    }

    /// The AUTHORED_BY edges of `paper` to `authors` (the record's authors' nodes, in order).
    private func addAuthors(_ p: PreparedRecord, paper: Int64, authors: [Int64], to edges: inout EdgeBatch) {
        for (i, author) in authors.enumerated() {
            edges.writeProps { $0.append(contentsOf: p.authorEdge(i)) }
            edges.addEdge(type: "AUTHORED_BY", src: paper, dst: author)
        }
    }

    /// The Author node of each of the record's authors, in order, interned as `intern` does; with
    /// `paper`, the property text of a new Paper, that paper's node too. The new nodes (the paper
    /// first, then the authors the graph does not have yet, in order of first mention) are made
    /// together by `createNodes`, which writes their labels and provenance rows a few to a statement.
    private func internAuthors(_ p: PreparedRecord, paper: [UInt8]?) throws -> (paper: Int64, authors: [Int64]) {
        let r = p.record
        var nodes = [Int64](repeating: 0, count: r.authors.count)
        // The authors to make (index of the first mention of each new name); a mention of one
        // of them is -1 - its position in `fresh` until its node exists.
        var fresh: [Int] = []
        var table: InternCache.Table?
        for (i, person) in r.authors.enumerated() {
            if let slots = p.slots, let known = slots.node(.author, p.slotNumbers[i]) {
                nodes[i] = known
                continue
            }
            let authors = table ?? interned.table("Author")
            table = authors
            if let found = try internedNode(authors, label: "Author", key: "name", value: person.display) {
                nodes[i] = found
                p.slots?.learn(.author, p.slotNumbers[i], node: found)
            } else if let k = fresh.firstIndex(where: { r.authors[$0].display == person.display }) {
                nodes[i] = -1 - Int64(k)
            } else {
                nodes[i] = -1 - Int64(fresh.count)
                fresh.append(i)
            }
        }
        let offset = paper == nil ? 0 : 1
        guard offset + fresh.count > 0 else { return (0, nodes) }
        let first = try createNodes(offset + fresh.count, label: { $0 < offset ? "Paper" : "Author" }, json: { k in
            if k < offset { return paper! }
            let i = fresh[k - offset]
            return i < p.authorNodes.count && !p.authorNodes[i].isEmpty ? p.authorNodes[i] : PreparedRecord.authorObject(r.authors[i])
        }, internedAt: offset, line: r.line)
        if let table {
            for (k, i) in fresh.enumerated() {
                let node = first + Int64(offset + k)
                remember(node, as: r.authors[i].display, in: table)
                p.slots?.learn(.author, p.slotNumbers[i], node: node)
            }
        }
        for i in nodes.indices where nodes[i] < 0 { nodes[i] = first + Int64(offset) - 1 - nodes[i] }
        return (offset == 1 ? first : 0, nodes)
    }

    private func addCategories(_ p: PreparedRecord, paper: Int64, to edges: inout EdgeBatch) throws {
        let first = p.record.authors.count
        for (i, category) in p.record.categories.enumerated() {
            let node: Int64
            if let slots = p.slots, let known = slots.node(.category, p.slotNumbers[first + i]) {
                node = known
            } else {
                node = try intern(label: "Category", key: "id", value: category, props: [:], line: p.record.line)
                p.slots?.learn(.category, p.slotNumbers[first + i], node: node)
            }
            edges.writeProps { $0.append(contentsOf: p.categoryEdge(i)) }
            edges.addEdge(type: "IN_CATEGORY", src: paper, dst: node)
        }
    }

    private func addVenue(_ p: PreparedRecord, paper: Int64, to edges: inout EdgeBatch) throws {
        guard let venue = p.record.venue, !venue.isEmpty else { return }
        let node = try intern(label: "Venue", key: "name", value: venue, props: [:], line: p.record.line)
        edges.writeProps { $0.append(contentsOf: p.venueEdge) }
        edges.addEdge(type: "PUBLISHED_IN", src: paper, dst: node)
    }
}
