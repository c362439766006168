// What `export bibtex` reads: every paper with its canonical key, the entry a .bib gave it (if any),
// and for the papers written from their properties those properties and their authors in order. Three
// scans of one snapshot (stored entries of BibTeX sources, papers, authorship edges), each row's JSON read once in Swift
// from SQLite's bytes: only the members needed are decoded, the rest (abstracts) skipped.
import Foundation
import GRDB
internal import GRDBSQLite
import LitModel

/// A paper as the BibTeX export needs it. The fields a generated entry is made of are read only
/// for papers that need one (no stored .bib entry, or no canonical key).
public struct PaperBibTeXRow: Sendable {
    public var node: Int64
    /// The canonical BibTeX key (`key` property), when the paper has one.
    public var key: String?
    /// In the selection asked for; a keyless paper outside it is read only for its generated key.
    public var isSelected: Bool
    public var title: String?
    public var year: Int?
    public var month: Int?
    public var arxiv: String?
    public var doi: String?
    public var primaryCategory: String?
    public var venue: String?
    public var journalRef: String?
    /// Authors in order: display name, family, given.
    public var authors: [PersonName] = []
    /// The entry exactly as a .bib gave it (bytes in `PaperBibTeXRows.text`), when one did.
    public var raw: Range<Int>?
    /// The @string definitions that entry uses, one after another (bytes in `PaperBibTeXRows.text`).
    public var rawStrings: Range<Int>?
}

/// What the BibTeX export reads, in a few scans of one snapshot.
public struct PaperBibTeXRows: Sendable {
    /// The papers in node order, stubs (cited-only placeholders, never exported) left out.
    public var papers: [PaperBibTeXRow]
    /// The stored entry texts, back to back; rows point into it.
    public var text: [UInt8]
    /// Every `key` and `bibkeys` value of every paper, when some paper has no key (else empty).
    public var takenKeys: Set<String>
}

extension GraphStore {
    /// The papers to export (all when `nodes` is nil) in node order. The stored entry is the one whose
    /// key is the paper's canonical key, else the first by (source, line). Property values are those
    /// of the stored JSON's type: text for text fields, integers for `year` and `month`.
    public func paperBibTeXRows(nodes: [Int64]? = nil) throws -> PaperBibTeXRows {
        try read { db in
            var reader = BibTeXExportReader(db: db, wanted: nodes.map(Set.init))
            return try reader.rows()
        }
    }
}

/// One stored .bib entry of a node: the key it was written under and where its text and @strings lie.
private struct StoredEntry {
    var node: Int64
    var key: String?
    var raw: Range<Int>
    var strings: Range<Int>?
}

private struct BibTeXExportReader {
    let db: Database
    let wanted: Set<Int64>?
    var bytes: [UInt8] = []

    init(db: Database, wanted: Set<Int64>?) {
        self.db = db
        self.wanted = wanted
    }

    mutating func rows() throws -> PaperBibTeXRows {
        let stored = try storedEntries()
        var rows: [PaperBibTeXRow] = []
        var needsFields: [Bool] = []
        var index: [Int64: Int] = [:]
        var keys: [String] = []
        var keyless = false
        var next = 0
        try forEachRow(db, sql: """
            SELECT n.id, n.props FROM node_label l JOIN node n ON n.id = l.node WHERE l.label = 'Paper' ORDER BY n.id
            """) { row in
            let id = row.int64(0)
            let props = row.bytes(1)
            var members = PaperMembers()
            var iterator = JSONMembers.Iterator(props)
            while let (name, member) = iterator.next() { members.note(name, member) }
            guard !iterator.failed else {
                throw Diagnostic.error("store.props", "stored properties of node \(id) are not a JSON object")
            }
            let key = members.key.flatMap { $0.kind == .text ? JSONMembers.string(props, $0) : nil }
            if let key { keys.append(key) }
            if let list = members.bibkeys { Self.texts(in: props, list) { keys.append($0) } }
            while next < stored.count, stored[next].node < id { next += 1 }
            if members.stub != nil { return }
            if key == nil { keyless = true }
            let selected = wanted?.contains(id) ?? true
            if !selected && key != nil { return }
            var paper = PaperBibTeXRow(node: id, key: key, isSelected: selected)
            if selected {
                // The entry under the canonical key, else the first.
                var k = next
                while k < stored.count, stored[k].node == id {
                    if paper.raw == nil || (key != nil && stored[k].key == key) {
                        paper.raw = stored[k].raw
                        paper.rawStrings = stored[k].strings
                        if key != nil && stored[k].key == key { break }
                    }
                    k += 1
                }
            }
            let generated = paper.raw == nil || key == nil
            if generated { members.fill(&paper, from: props) }
            index[id] = rows.count
            rows.append(paper)
            needsFields.append(generated)
        }
        try readAuthors(into: &rows, index: index, needsFields: needsFields)
        return PaperBibTeXRows(papers: rows, text: bytes, takenKeys: keyless ? Set(keys) : [])
    }

    /// Every stored .bib entry (a provenance row with a `raw` member), by node then (source, line).
    mutating func storedEntries() throws -> [StoredEntry] {
        var out: [StoredEntry] = []
        // Only a BibTeX ingest stores entries: rows from other sources (Atom provenance holds whole
        // abstracts) are not read at all.
        let bibtex = "SELECT l.node FROM node_label l JOIN node s ON s.id = l.node WHERE l.label = 'Source' AND json_extract(s.props, '$.format') = 'bibtex'"
        guard try Int64.fetchOne(db, sql: bibtex + " LIMIT 1") != nil else { return [] }
        try forEachRow(db, sql: "SELECT node, fields FROM provenance WHERE source IN (\(bibtex)) ORDER BY node, source, line") { row in
            let node = row.int64(0)
            if let wanted, !wanted.contains(node) { return }
            let fields = row.bytes(1)
            var key: JSONMember?, raw: JSONMember?, strings: JSONMember?
            guard JSONMembers.forEach(fields, { name, member in
                if JSONMembers.name(name, is: "raw") { if raw == nil { raw = member } }
                else if JSONMembers.name(name, is: "key") { if key == nil { key = member } }
                else if JSONMembers.name(name, is: "raw_strings") { if strings == nil { strings = member } }
            }) else {
                throw Diagnostic.error("store.props", "stored provenance of node \(node) is not a JSON object")
            }
            guard let raw, raw.kind != .null else { return }
            out.append(StoredEntry(node: node, key: key.flatMap { $0.kind == .text ? JSONMembers.string(fields, $0) : nil },
                                   raw: append(fields, raw)!, strings: strings.flatMap { append(fields, $0) }))
        }
        return out
    }

    /// A member's value appended to `bytes` as `json_extract` gives it (strings unescaped); nil for null.
    mutating func append(_ text: UnsafeBufferPointer<UInt8>, _ member: JSONMember) -> Range<Int>? {
        let start = bytes.count
        switch member.kind {
        case .null: return nil
        case .text: JSONMembers.appendString(text, member, to: &bytes)
        default: bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[member.start..<member.end]))
        }
        return start..<bytes.count
    }

    /// The text values of an array (or object) member, as `json_each` lists those of type text.
    static func texts(in props: UnsafeBufferPointer<UInt8>, _ member: JSONMember, _ body: (String) -> Void) {
        switch member.kind {
        case .text: body(JSONMembers.string(props, member))
        case .array:
            // Wrapped as an object's members would be: walk the elements in place.
            JSONMembers.forEachElement(props, member) { element in
                if element.kind == .text { body(JSONMembers.string(props, element)) }
            }
        case .object:
            _ = JSONMembers.forEach(UnsafeBufferPointer(rebasing: props[member.start..<member.end])) { _, value in
                let slice = UnsafeBufferPointer(rebasing: props[member.start..<member.end])
                if value.kind == .text { body(JSONMembers.string(slice, value)) }
            }
        default: break
        }
    }

    /// The authors of the papers written from their properties, in `position` order (then edge id).
    func readAuthors(into rows: inout [PaperBibTeXRow], index: [Int64: Int], needsFields: [Bool]) throws {
        let count = needsFields.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard count > 0 else { return }
        // The edges first, gathered in scan order (edge id order, which is mostly paper then position
        // order already; sorted only when it is not), then the authors' names in one pass over their
        // nodes in id order: looking each one up beside its edge would read a page per edge.
        var found: [(row: Int, position: PositionKey, edge: Int64, author: Int64)] = []
        var texts: [String] = []
        func before(_ a: (row: Int, position: PositionKey, edge: Int64, author: Int64),
                    _ b: (row: Int, position: PositionKey, edge: Int64, author: Int64)) -> Bool {
            if a.row != b.row { return a.row < b.row }
            if !PositionKey.equal(a.position, b.position, texts: texts) { return PositionKey.less(a.position, b.position, texts: texts) }
            return a.edge < b.edge
        }
        var lastSource: Int64 = -1
        var lastRow: Int? = nil
        var sorted = true
        let body: (RowBytes) throws -> Void = { row in
            let source = row.int64(0)
            if source != lastSource {
                lastSource = source
                lastRow = index[source].flatMap { needsFields[$0] ? $0 : nil }
            }
            guard let i = lastRow else { return }
            let edge = row.int64(1)
            let edgeProps = row.bytes(2)
            var position = PositionKey.null
            var members = JSONMembers.Iterator(edgeProps)
            while let (name, member) = members.next() {
                if JSONMembers.name(name, is: "position") {
                    position = PositionKey(edgeProps, member, texts: &texts)
                    break
                }
            }
            let entry = (i, position, edge, row.int64(3))
            if sorted, let last = found.last, before(entry, last) { sorted = false }
            found.append(entry)
        }
        let columns = "SELECT src, id, props, dst FROM edge WHERE type = 'AUTHORED_BY'"
        if count * 4 > rows.count {
            // Most papers: one scan of every authorship edge.
            try forEachRow(db, sql: columns, body)
        } else {
            var list = "["
            for (row, needed) in zip(rows, needsFields) where needed {
                if list.utf8.count > 1 { list += "," }
                list += String(row.node)
            }
            list += "]"
            try forEachRow(db, sql: columns + " AND src IN (SELECT value FROM json_each(?))", arguments: [list], body)
        }
        var names: [Int64: PersonName] = [:]
        let authors = Set(found.map(\.author)).sorted()
        names.reserveCapacity(authors.count)
        try forEachRow(db, sql: "SELECT id, props FROM node WHERE id IN (SELECT value FROM json_each(?))",
                       arguments: ["[" + authors.map(String.init).joined(separator: ",") + "]"]) { row in
            let author = row.bytes(1)
            var display: JSONMember?, family: JSONMember?, given: JSONMember?
            var members = JSONMembers.Iterator(author)
            while let (name, member) = members.next() {
                if JSONMembers.name(name, is: "name") { if display == nil { display = member } }
                else if JSONMembers.name(name, is: "family") { if family == nil { family = member } }
                else if JSONMembers.name(name, is: "given") { if given == nil { given = member } }
            }
            func text(_ member: JSONMember?) -> String {
                guard let member, member.kind == .text else { return "" }
                return JSONMembers.string(author, member)
            }
            names[row.int64(0)] = PersonName(display: text(display), family: text(family), given: text(given))
        }
        if !sorted { found.sort(by: before) }
        var k = 0
        while k < found.count {
            let i = found[k].row
            var end = k + 1
            while end < found.count && found[end].row == i { end += 1 }
            rows[i].authors.reserveCapacity(end - k)
            // An edge to a missing node names no author (as a join would drop it).
            for j in k..<end { if let name = names[found[j].author] { rows[i].authors.append(name) } }
            k = end
        }
    }
}

/// A `position` as SQLite orders `json_extract` results: NULL, then numbers, then text (by value;
/// `texts` holds the text values, `value` indexes it). Plain data, so gathering thousands is cheap.
private struct PositionKey {
    var rank: UInt8
    var value: Double

    static let null = PositionKey(rank: 0, value: 0)

    init(rank: UInt8, value: Double) {
        self.rank = rank
        self.value = value
    }

    init(_ props: UnsafeBufferPointer<UInt8>, _ member: JSONMember, texts: inout [String]) {
        switch member.kind {
        case .null: self = .null
        case .true: self.init(rank: 1, value: 1)
        case .false: self.init(rank: 1, value: 0)
        case .integer, .real:
            self.init(rank: 1, value: Double(String(decoding: UnsafeBufferPointer(rebasing: props[member.start..<member.end]), as: UTF8.self)) ?? 0)
        case .text:
            texts.append(JSONMembers.string(props, member))
            self.init(rank: 2, value: Double(texts.count - 1))
        case .array, .object:
            texts.append(String(decoding: UnsafeBufferPointer(rebasing: props[member.start..<member.end]), as: UTF8.self))
            self.init(rank: 2, value: Double(texts.count - 1))
        }
    }

    static func less(_ a: PositionKey, _ b: PositionKey, texts: [String]) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        if a.rank == 2 { return texts[Int(a.value)] < texts[Int(b.value)] }
        return a.value < b.value
    }

    static func equal(_ a: PositionKey, _ b: PositionKey, texts: [String]) -> Bool {
        !less(a, b, texts: texts) && !less(b, a, texts: texts)
    }
}

/// The members of a paper's properties the export reads (the first of each name).
private struct PaperMembers {
    var key, stub, bibkeys, title, year, month, arxiv, doi, primaryCategory, venue, journalRef: JSONMember?

    mutating func note(_ name: UnsafeBufferPointer<UInt8>, _ member: JSONMember) {
        func set(_ slot: inout JSONMember?) { if slot == nil { slot = member } }
        switch name.count {
        case 3: if JSONMembers.name(name, is: "key") { set(&key) } else if JSONMembers.name(name, is: "doi") { set(&doi) }
        case 4: if JSONMembers.name(name, is: "stub") { set(&stub) } else if JSONMembers.name(name, is: "year") { set(&year) }
        case 5: if JSONMembers.name(name, is: "title") { set(&title) } else if JSONMembers.name(name, is: "month") { set(&month) }
            else if JSONMembers.name(name, is: "arxiv") { set(&arxiv) } else if JSONMembers.name(name, is: "venue") { set(&venue) }
        case 7: if JSONMembers.name(name, is: "bibkeys") { set(&bibkeys) }
        case 11: if JSONMembers.name(name, is: "journal_ref") { set(&journalRef) }
        case 16: if JSONMembers.name(name, is: "primary_category") { set(&primaryCategory) }
        default: break
        }
    }

    /// The fields of a generated entry: text members as text, `year` and `month` as integers.
    func fill(_ paper: inout PaperBibTeXRow, from props: UnsafeBufferPointer<UInt8>) {
        func text(_ member: JSONMember?) -> String? {
            member.flatMap { $0.kind == .text ? JSONMembers.string(props, $0) : nil }
        }
        func integer(_ member: JSONMember?) -> Int? {
            member.flatMap { $0.kind == .integer ? JSONMembers.integer(props, $0) : nil }
        }
        paper.title = text(title)
        paper.year = integer(year)
        paper.month = integer(month)
        paper.arxiv = text(arxiv)
        paper.doi = text(doi)
        paper.primaryCategory = text(primaryCategory)
        paper.venue = text(venue)
        paper.journalRef = text(journalRef)
    }
}

/// A row being stepped: its columns as SQLite holds them, valid until the next step.
struct RowBytes {
    let handle: OpaquePointer

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// A text or blob column's bytes; empty for NULL.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }
}

/// Runs a query and calls `body` with each row, through SQLite's C API (no per-row values built).
func forEachRow(_ db: Database, sql: String, arguments: StatementArguments = [],
                _ body: (RowBytes) throws -> Void) throws {
    let statement = try db.makeStatement(sql: sql)
    try statement.setArguments(arguments)
    let handle = statement.sqliteStatement
    defer { sqlite3_reset(handle) }
    while true {
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) }, sql: sql)
        }
        try body(RowBytes(handle: handle))
    }
}
