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
        let t = normalise(title)
        let lastWord = family.split(whereSeparator: { $0 == " " || $0 == "-" }).last.map(String.init) ?? family
        let f = normalise(lastWord).replacingOccurrences(of: " ", with: "")
        guard !t.isEmpty, !f.isEmpty else { return nil }
        return "\(t)|\(year)|\(f)"
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

extension GraphWriter {
    /// The Paper node this record describes, if the graph has it: by arXiv id, then DOI, then BibTeX
    /// key, then fingerprint. A DOI or fingerprint match whose node has a different arXiv id is no match.
    public func resolve(_ record: WorkRecord) throws -> Int64? {
        if let arxiv = record.arxiv, let node = try node(ident: "arxiv", arxiv.base) { return node }
        func compatible(_ node: Int64) throws -> Bool {
            guard let arxiv = record.arxiv else { return true }
            guard let other = try props(of: node)["arxiv"]?.stringValue else { return true }
            return other == arxiv.base
        }
        if let doi = record.doi, let node = try node(ident: "doi", doi), try compatible(node) { return node }
        if let key = record.bibKey, let node = try node(ident: "bibkey", key), try compatible(node) { return node }
        if let fp = fingerprint(record), let node = try node(ident: "fingerprint", fp), try compatible(node) {
            return node
        }
        return nil
    }

    /// Creates the Paper for `record`, or merges it into `node` (from `resolve`, or a match the caller
    /// made). Re-applying the same record changes nothing and reports `.unchanged`.
    @discardableResult
    public func upsert(_ record: WorkRecord, into node: Int64?, policy: MergePolicy = .automatic) throws -> UpsertResult {
        let stated = Self.statedProps(record)
        guard let node else {
            var props = stated
            if let v = record.arxiv?.version {
                props["version"] = .int(v)
                props["versions"] = .array([.int(v)])
            }
            if let key = record.bibKey {
                props["key"] = .string(key)
                props["bibkeys"] = .array([.string(key)])
            }
            let id = try createNode(label: "Paper", props: props)
            try addIdents(record, node: id)
            try addRelations(record, paper: id)
            try indexText(node: id, title: stated["title"]?.stringValue, abstract: stated["abstract"]?.stringValue)
            try addProvenance(node: id, line: record.line, fields: Self.provenanceFields(record, stated))
            return UpsertResult(node: id, outcome: .created)
        }

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
        for (key, value) in stated where replace || props[key] == nil {
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
        var changed = false
        if props != old {
            try setProps(node, props)
            changed = true
            if props["title"] != old["title"] || props["abstract"] != old["abstract"] {
                try indexText(node: node, title: props["title"]?.stringValue, abstract: props["abstract"]?.stringValue,
                              replacing: (old["title"]?.stringValue, old["abstract"]?.stringValue))
            }
        }
        try addIdents(record, node: node)
        if try mergeRelations(record, paper: node, replace: replace) { changed = true }
        try addProvenance(node: node, line: record.line, fields: Self.provenanceFields(record, stated))
        return UpsertResult(node: node, outcome: changed ? .updated : .unchanged)
    }

    /// The Paper properties a record states (without version lists and keys, which merge specially).
    static func statedProps(_ r: WorkRecord) -> [String: JSONValue] {
        var p: [String: JSONValue] = [:]
        p.reserveCapacity(16)
        func put(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { p[key] = .string(value) }
        }
        put("arxiv", r.arxiv?.base)
        put("doi", r.doi)
        put("title", r.title)
        put("abstract", r.abstract)
        if let y = r.year { p["year"] = .int(y) }
        if let m = r.month { p["month"] = .int(m) }
        put("published", r.published)
        put("updated", r.updated)
        put("primary_category", r.primaryCategory)
        put("journal_ref", r.journalRef)
        put("comment", r.comment)
        put("venue", r.venue)
        put("entry_type", r.entryType)
        if !r.keywords.isEmpty { p["keywords"] = .array(r.keywords.map(JSONValue.string)) }
        return p
    }

    /// Text fields longer than this are recorded in provenance as `true` (stated; the value is on
    /// the node and in the full-text index) rather than copied.
    static let provenanceTextLimit = 240

    /// What this source stated, for `provenance.fields`: the stated properties plus version, authors,
    /// categories, links and extra fields.
    static func provenanceFields(_ r: WorkRecord, _ stated: [String: JSONValue]) -> [String: JSONValue] {
        var f = stated
        for (key, value) in stated {
            if case .string(let text) = value, text.utf8.count > provenanceTextLimit { f[key] = .bool(true) }
        }
        if let v = r.arxiv?.version { f["version"] = .int(v) }
        if let key = r.bibKey { f["key"] = .string(key) }
        if !r.authors.isEmpty { f["authors"] = .array(r.authors.map { .string($0.display) }) }
        if !r.categories.isEmpty { f["categories"] = .array(r.categories.map(JSONValue.string)) }
        if !r.links.isEmpty { f["links"] = .object(r.links.mapValues(JSONValue.string)) }
        for (k, v) in r.extra where f[k] == nil { f[k] = .string(v) }
        return f
    }

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

    private func addIdents(_ r: WorkRecord, node: Int64) throws {
        if let arxiv = r.arxiv { try addIdent("arxiv", arxiv.base, node: node) }
        if let doi = r.doi { try addIdent("doi", doi, node: node) }
        if let key = r.bibKey { try addIdent("bibkey", key, node: node) }
        if let fp = fingerprint(r) { try addIdent("fingerprint", fp, node: node) }
    }

    /// AUTHORED_BY, IN_CATEGORY and PUBLISHED_IN edges of a new paper.
    private func addRelations(_ r: WorkRecord, paper: Int64) throws {
        try addAuthors(r, paper: paper)
        try addCategories(r, paper: paper)
        try addVenue(r, paper: paper)
    }

    /// Brings the edges of an existing paper in line with the record; true when anything changed.
    /// Replacing swaps the author and category lists for the record's; filling adds them only
    /// where the paper has none.
    private func mergeRelations(_ r: WorkRecord, paper: Int64, replace: Bool) throws -> Bool {
        var changed = false
        if !r.authors.isEmpty {
            let current = try authorList(paper)
            let wanted = r.authors.map(\.display)
            if current.isEmpty || (replace && current != wanted) {
                try deleteEdges("AUTHORED_BY", from: paper)
                try addAuthors(r, paper: paper)
                changed = true
            }
        }
        if !r.categories.isEmpty {
            let current = try categoryList(paper)
            let wanted = r.categories.map { ($0, $0 == r.primaryCategory) }
            if current.isEmpty || (replace && !current.elementsEqual(wanted, by: { $0 == $1 })) {
                try deleteEdges("IN_CATEGORY", from: paper)
                try addCategories(r, paper: paper)
                changed = true
            }
        }
        if r.venue != nil, try outDegree("PUBLISHED_IN", from: paper) == 0 {
            try addVenue(r, paper: paper)
            changed = true
        }
        return changed
    }

    private func authorList(_ paper: Int64) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT json_extract(a.props, '$.name') FROM edge e JOIN node a ON a.id = e.dst
            WHERE e.src = ? AND e.type = 'AUTHORED_BY' ORDER BY json_extract(e.props, '$.position'), e.id
            """), arguments: [paper])
    }

    private func categoryList(_ paper: Int64) throws -> [(String, Bool)] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT json_extract(c.props, '$.id') AS id, json_type(e.props, '$.primary') = 'true' AS prim
            FROM edge e JOIN node c ON c.id = e.dst WHERE e.src = ? AND e.type = 'IN_CATEGORY' ORDER BY e.id
            """), arguments: [paper]).map { ($0["id"], $0["prim"]) }
    }

    private func addAuthors(_ r: WorkRecord, paper: Int64) throws {
        for (i, person) in r.authors.enumerated() {
            let author = try intern(label: "Author", key: "name", value: person.display, props: {
                var p: [String: JSONValue] = [:]
                if !person.family.isEmpty { p["family"] = .string(person.family) }
                if !person.given.isEmpty { p["given"] = .string(person.given) }
                return p
            }(), line: r.line)
            var props: [String: JSONValue] = ["position": .int(i + 1)]
            if !person.affiliations.isEmpty { props["affiliations"] = .array(person.affiliations.map(JSONValue.string)) }
            try addEdge("AUTHORED_BY", from: paper, to: author, props: props, via: r.via, line: r.line)
        }
    }

    private func addCategories(_ r: WorkRecord, paper: Int64) throws {
        for category in r.categories {
            let node = try intern(label: "Category", key: "id", value: category, props: [:], line: r.line)
            try addEdge("IN_CATEGORY", from: paper, to: node, props: ["primary": .bool(category == r.primaryCategory)],
                        via: r.via, line: r.line)
        }
    }

    private func addVenue(_ r: WorkRecord, paper: Int64) throws {
        guard let venue = r.venue, !venue.isEmpty else { return }
        let node = try intern(label: "Venue", key: "name", value: venue, props: [:], line: r.line)
        try addEdge("PUBLISHED_IN", from: paper, to: node, via: r.via, line: r.line)
    }
}
