// Stage two of BibTeX reading: the syntax tree → the database bibtex sees. Items are read in file
// order as bibtex reads them: @string macros (case-insensitive, later ones see earlier ones),
// `#` concatenation, month macros, white space compressed, first of a repeated field kept, repeated
// keys rejected, and finally crossref inheritance. Values are raw LaTeX; `LaTeX.decode` makes text.
import LitModel

/// One entry as bibtex sees it.
public struct BibTeXEntry: Sendable, Hashable {
    /// Entry type, lower-cased (`article`, `inproceedings`, …); unknown types are kept.
    public var type: String
    /// The key exactly as written.
    public var key: String
    /// Field names (lower-cased) and values after expansion, in the order of the file.
    public var fields: [(name: String, value: String)]
    /// Index of the entry's item in the syntax tree.
    public var item: Int
    /// Byte offset of the entry's '@'.
    public var offset: Int
    /// Set when a syntax error cut the entry short: bibtex keeps what it read, ingest skips it.
    public var hasError: Bool
    /// Fields filled in from the crossref parent.
    public var inherited: Set<String> = []
    /// The lower-cased names of the macros its values use.
    public var macrosUsed: [String] = []

    /// The value of field `name` (lower case), if present.
    public subscript(name: String) -> String? {
        for field in fields where field.name == name { return field.value }
        return nil
    }

    public static func == (a: BibTeXEntry, b: BibTeXEntry) -> Bool {
        a.type == b.type && a.key == b.key && a.fields.map(\.name) == b.fields.map(\.name)
            && a.fields.map(\.value) == b.fields.map(\.value) && a.hasError == b.hasError
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(key)
        for field in fields { hasher.combine(field.name); hasher.combine(field.value) }
    }
}

/// The database bibtex would read from one file.
public struct BibTeXDatabase: Sendable {
    public let tree: BibTeXSyntaxTree
    public private(set) var entries: [BibTeXEntry] = []
    /// Macros at the end of the file (lower-cased name → value), the month macros included.
    public private(set) var macros: [String: String]
    /// Where each user macro was defined: name → item index.
    public private(set) var macroItems: [String: Int] = [:]
    /// The concatenated @preamble values.
    public private(set) var preamble: String = ""
    /// Syntax errors, then semantic errors and warnings (repeated keys, undefined macros, …).
    public private(set) var diagnostics: [Diagnostic] = []
    public let lines: BibTeXLineMap

    /// The month macros every standard style defines.
    public static let monthMacros: [String: String] = [
        "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
        "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November",
        "dec": "December",
    ]

    /// Reads the tree. `crossref: false` skips inheritance (the raw entries).
    public init(_ tree: BibTeXSyntaxTree, crossref: Bool = true) {
        self.tree = tree
        self.macros = Self.monthMacros
        self.lines = BibTeXLineMap(tree.source)
        self.diagnostics = tree.diagnostics(lines: lines)
        read()
        if crossref { inheritCrossrefs() }
    }

    public init(path: String, bytes: [UInt8]) {
        self.init(BibTeXParser.parse(BibTeXSource(path: path, bytes: bytes)))
    }

    public init(path: String, text: String) {
        self.init(BibTeXParser.parse(BibTeXSource(path: path, text: text)))
    }

    /// 1-based line of an entry's '@'.
    public func line(of entry: BibTeXEntry) -> Int { lines.line(entry.offset) }

    private mutating func read() {
        var seen: [String: Int] = [:]
        seen.reserveCapacity(tree.items.count)
        entries.reserveCapacity(tree.items.count)
        var buffer = ValueBuffer(encoding: tree.source.encoding)
        tree.source.bytes.withUnsafeBufferPointer { bytes in
            for index in tree.items.indices {
                let item = tree.items[index]
                switch item.kind {
                case .junk, .comment:
                    continue
                case .preamble:
                    for field in tree.fields(of: item) where field.isComplete {
                        _ = expand(field, into: &buffer, bytes: bytes, trim: false)
                        preamble += buffer.string()
                    }
                case .string:
                    for field in tree.fields(of: item) where field.isComplete {
                        _ = expand(field, into: &buffer, bytes: bytes, trim: false)
                        let name = lowerASCII(bytes, Int(field.nameStart), Int(field.nameEnd))
                        macros[name] = buffer.string()
                        macroItems[name] = index
                    }
                case .entry:
                    guard item.keyStart >= 0 else { continue }
                    let key = tree.source.string(Int(item.keyStart), Int(item.keyEnd))
                    let lowered = key.lowercased()
                    if let first = seen[lowered] {
                        let firstLine = lines.line(entries[first].offset)
                        diagnostics.append(.error("bibtex.repeated-entry",
                            "repeated entry '\(key)'; the one at line \(firstLine) is kept",
                            at: lines.span(Int(item.keyStart), length: Int(item.keyEnd - item.keyStart)),
                            notes: ["bibtex says: Repeated entry"]))
                        continue
                    }
                    seen[lowered] = entries.count
                    var entry = BibTeXEntry(type: lowerASCII(bytes, Int(item.typeStart), Int(item.typeEnd)),
                                            key: key, fields: [], item: index, offset: Int(item.start),
                                            hasError: item.hasError)
                    entry.fields.reserveCapacity(Int(item.fieldCount))
                    for field in tree.fields(of: item) where field.isComplete {
                        let name = lowerASCII(bytes, Int(field.nameStart), Int(field.nameEnd))
                        let used = expand(field, into: &buffer, bytes: bytes, trim: true)
                        if !used.isEmpty { entry.macrosUsed += used }
                        if entry.fields.contains(where: { $0.name == name }) {
                            diagnostics.append(.warning("bibtex.repeated-field",
                                "repeated field '\(name)' in entry '\(key)'; the first value is kept",
                                at: lines.span(Int(field.nameStart), length: Int(field.nameEnd - field.nameStart)),
                                notes: ["bibtex says: I'm ignoring \(key)'s extra \"\(name)\" field"]))
                            continue
                        }
                        entry.fields.append((name, buffer.string()))
                    }
                    entries.append(entry)
                }
            }
        }
    }

    /// Concatenates a field's parts into `buffer` with bibtex's white-space compression; returns the
    /// names of the user macros it used.
    private mutating func expand(_ field: BibTeXFieldSyntax, into buffer: inout ValueBuffer,
                                 bytes: UnsafeBufferPointer<UInt8>, trim: Bool) -> [String] {
        buffer.reset()
        var used: [String] = []
        for part in tree.parts(of: field) {
            switch part.kind {
            case .braced, .quoted, .number:
                buffer.append(bytes, part.contentStart, part.contentEnd)
            case .macro:
                let name = lowerASCII(bytes, Int(part.start), Int(part.end))
                if let value = macros[name] {
                    buffer.append(value)
                    if macroItems[name] != nil { used.append(name) }
                } else {
                    let raw = tree.source.string(Int(part.start), Int(part.end))
                    diagnostics.append(.warning("bibtex.undefined-string", "undefined @string '\(raw)'; it adds nothing to the value",
                        at: lines.span(Int(part.start), length: Int(part.end - part.start)),
                        notes: ["bibtex says: Warning--string name \"\(name)\" is undefined"]))
                }
            }
        }
        if trim { buffer.trim() }
        return used
    }

    /// bibtex's crossref pass: each entry whose `crossref` names an entry of the file takes the fields
    /// it lacks from it, in file order (so a parent already filled from its own parent passes those on).
    private mutating func inheritCrossrefs() {
        var byKey: [String: Int] = [:]
        for (i, entry) in entries.enumerated() { byKey[entry.key.lowercased()] = i }
        for i in entries.indices {
            guard let target = entries[i]["crossref"] else { continue }
            guard let parent = byKey[target.lowercased()] else {
                diagnostics.append(.warning("bibtex.missing-crossref",
                    "entry '\(entries[i].key)' refers to '\(target)', which is not in this file",
                    at: lines.span(entries[i].offset)))
                continue
            }
            let parentEntry = entries[parent]
            if let c = entries[i].fields.firstIndex(where: { $0.name == "crossref" }) {
                entries[i].fields[c].value = parentEntry.key
            }
            for field in parentEntry.fields where field.name != "crossref" && entries[i][field.name] == nil {
                entries[i].fields.append(field)
                entries[i].inherited.insert(field.name)
            }
        }
    }
}

func lowerASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
    guard start < end else { return "" }
    return String(unsafeUninitializedCapacity: end - start) { out in
        for i in 0..<(end - start) {
            let c = bytes[start + i]
            out[i] = (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c
        }
        return end - start
    }
}

/// bibtex's ex_buf: value bytes with runs of white space compressed to one space.
struct ValueBuffer {
    var bytes: [UInt8] = []
    let encoding: BibTeXSource.Encoding

    init(encoding: BibTeXSource.Encoding) {
        self.encoding = encoding
        bytes.reserveCapacity(4096)
    }

    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always)
    mutating func appendByte(_ c: UInt8) {
        if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
            if bytes.isEmpty || bytes[bytes.count - 1] != 0x20 { bytes.append(0x20) }
        } else {
            bytes.append(c)
        }
    }

    mutating func append(_ source: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        var i = start
        if encoding == .latin1 {
            while i < end {
                let c = source[i]
                if c >= 0x80 {
                    bytes.append(0xC0 | (c >> 6))
                    bytes.append(0x80 | (c & 0x3F))
                } else {
                    appendByte(c)
                }
                i += 1
            }
            return
        }
        while i < end { appendByte(source[i]); i += 1 }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in for c in utf8 { appendByte(c) } }
    }

    mutating func trim() {
        if bytes.last == 0x20 { bytes.removeLast() }
        if bytes.first == 0x20 { bytes.removeFirst() }
    }

    func string() -> String { String(decoding: bytes, as: UTF8.self) }
}
