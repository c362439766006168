// Stage two of BibTeX reading: the syntax tree → the entries bibtex sees. Items are read in file
// order as bibtex reads them: @string macros (case-insensitive, later ones see earlier ones),
// `#` concatenation, month macros, white space compressed, the first of a repeated field kept,
// repeated keys rejected, and crossref inheritance done as bibtex does it after reading. The
// reader streams entries one at a time (memory stays near the syntax tree's); `BibTeXDatabase`
// keeps them all. Values are raw LaTeX; `LaTeX.decode` makes display text of them.
import LitModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// 1-based line of the entry's '@'.
    public var line: Int
    /// Set when a syntax error cut the entry short: bibtex keeps what it read, ingest skips it.
    public var hasError: Bool
    /// Fields filled in from the crossref parent.
    public var inherited: [String] = []
    /// The lower-cased names of the @string macros its values use.
    public var macrosUsed: [String] = []
    /// The @string definitions (name, exact text) it needs, dependencies first; filled when the
    /// reader's `collectStrings` is set.
    public var strings: [(name: String, text: String)] = []

    public init(type: String, key: String, fields: [(name: String, value: String)], item: Int = -1,
                offset: Int = 0, line: Int = 0, hasError: Bool = false) {
        self.type = type
        self.key = key
        self.fields = fields
        self.item = item
        self.offset = offset
        self.line = line
        self.hasError = hasError
    }

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

/// The month macros every standard style defines.
public let bibtexMonthMacros: [String: String] = [
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November",
    "dec": "December",
]

/// Streams the entries of a syntax tree in file order, as bibtex reads them.
///
///     var reader = BibTeXReader(tree)
///     reader.read { entry in … }
///     reader.diagnostics  // syntax errors, repeated keys, undefined macros, …
public struct BibTeXReader {
    public let tree: BibTeXSyntaxTree
    /// Macros at the end of the file (lower-cased name → value), the month macros included.
    public private(set) var macros: [String: String] = bibtexMonthMacros
    /// Where each user macro was defined: name → item index.
    public private(set) var macroItems: [String: Int] = [:]
    /// The user macros each macro's definition uses.
    public private(set) var macroDependencies: [String: [String]] = [:]
    /// The concatenated @preamble values.
    public private(set) var preamble: String = ""
    /// Syntax errors, then what reading found (repeated keys, undefined macros, …).
    public private(set) var diagnostics: [Diagnostic] = []
    /// Apply crossref inheritance.
    public var crossref = true
    /// Fill each entry's `strings` with the @string definitions it needs (for verbatim output).
    public var collectStrings = false

    private var buffer: ValueBuffer
    private var names = NameInterner()
    private var cursor = LineCursor()
    private var lineMap: BibTeXLineMap?

    public init(_ tree: BibTeXSyntaxTree) {
        self.tree = tree
        self.buffer = ValueBuffer(encoding: tree.source.encoding)
    }

    /// The @string definitions (name, exact text) an entry needs, dependencies first, in file order.
    /// Call during or after `read` (it uses the macros defined so far).
    public func strings(for entry: BibTeXEntry) -> [(name: String, text: String)] {
        var needed = Set<String>()
        var stack = entry.macrosUsed
        while let name = stack.popLast() {
            guard needed.insert(name).inserted else { continue }
            stack += macroDependencies[name] ?? []
        }
        return needed.compactMap { name in macroItems[name].map { (name, $0) } }
            .sorted { $0.1 < $1.1 }
            .map { (name: $0.0, text: tree.text(of: tree.items[$0.1])) }
    }

    /// Positions for diagnostics (built on first use: most files have none).
    private mutating func span(_ offset: Int, length: Int = 1) -> SourceSpan {
        if lineMap == nil { lineMap = BibTeXLineMap(tree.source) }
        return lineMap!.span(offset, length: length)
    }

    /// Calls `body` with each entry in file order; an entry named by another's crossref is also
    /// read beforehand so that its fields can be inherited.
    public mutating func read(_ body: (BibTeXEntry) throws -> Void) rethrows {
        macros = bibtexMonthMacros
        macroItems = [:]
        preamble = ""
        diagnostics = tree.diagnostics()
        var parents: [String: Parent] = [:]
        if crossref {
            let targets = crossrefTargets()
            if !targets.isEmpty { parents = readParents(targets) }
        }
        macros = bibtexMonthMacros
        macroItems = [:]
        preamble = ""
        cursor = LineCursor()
        var seen = KeySet(capacity: tree.items.count / 2 + 16)
        let tree = self.tree
        try tree.withView { v in
            do {
                let items = v.items
                for index in items.indices {
                    let item = items[index]
                    switch item.kind {
                    case .junk, .comment:
                        continue
                    case .preamble, .string:
                        readCommand(item, index: index, v: v)
                    case .entry:
                        guard item.keyStart >= 0 else { continue }
                        guard seen.insert(v.bytes, Int(item.keyStart), Int(item.keyEnd)) else {
                            let key = tree.source.string(Int(item.keyStart), Int(item.keyEnd))
                            diagnostics.append(.error("bibtex.repeated-entry",
                                "repeated entry '\(key)'; the first one is kept",
                                at: span(Int(item.keyStart), length: Int(item.keyEnd - item.keyStart)),
                                notes: ["bibtex says: Repeated entry"]))
                            continue
                        }
                        var entry = readEntry(item, index: index, v: v)
                        if crossref, let target = entry["crossref"] {
                            inherit(&entry, from: target, parents: parents, order: index)
                        }
                        if collectStrings && !entry.macrosUsed.isEmpty { entry.strings = strings(for: entry) }
                        try body(entry)
                    }
                }
            }
        }
    }

    struct Parent {
        var order: Int
        var raw: BibTeXEntry
        var resolved: BibTeXEntry
    }

    /// Lower-cased keys named by some entry's crossref field.
    private mutating func crossrefTargets() -> Set<String> {
        var targets = Set<String>()
        let tree = self.tree
        tree.withView { v in
            for index in tree.items.indices {
                let item = tree.items[index]
                if item.kind == .string || item.kind == .preamble {
                    readCommand(item, index: index, v: v, quiet: true)
                    continue
                }
                guard item.kind == .entry, item.keyStart >= 0 else { continue }
                for field in v.fields[Int(item.firstField)..<Int(item.firstField + item.fieldCount)]
                    where field.isComplete && field.nameEnd - field.nameStart == 8
                    && lowerASCII(v.bytes, Int(field.nameStart), Int(field.nameEnd)) == "crossref" {
                    var unused: [String] = []
                    let value = expand(field, v: v, trim: true, used: &unused, quiet: true)
                    targets.insert(BibTeXDatabase.asciiLowercased(value))
                    break
                }
            }
        }
        return targets
    }

    /// The entries that are crossref targets, each as read and after its own inheritance.
    private mutating func readParents(_ targets: Set<String>) -> [String: Parent] {
        var parents: [String: Parent] = [:]
        macros = bibtexMonthMacros
        let tree = self.tree
        tree.withView { v in
            for index in tree.items.indices {
                let item = tree.items[index]
                if item.kind == .string || item.kind == .preamble {
                    readCommand(item, index: index, v: v, quiet: true)
                    continue
                }
                guard item.kind == .entry, item.keyStart >= 0 else { continue }
                let lowered = lowerASCII(v.bytes, Int(item.keyStart), Int(item.keyEnd))
                guard targets.contains(lowered), parents[lowered] == nil else { continue }
                let saved = diagnostics.count
                var entry = readEntry(item, index: index, v: v)
                diagnostics.removeLast(diagnostics.count - saved)
                let raw = entry
                if let target = entry["crossref"] {
                    inherit(&entry, from: target, parents: parents, order: index, quiet: true)
                }
                parents[lowered] = Parent(order: index, raw: raw, resolved: entry)
            }
        }
        return parents
    }

    /// bibtex's crossref pass: fields the entry lacks come from the parent as it stands when the
    /// entry's turn comes (already filled from its own parent when it precedes the entry).
    private mutating func inherit(_ entry: inout BibTeXEntry, from target: String, parents: [String: Parent],
                                  order: Int, quiet: Bool = false) {
        guard let parent = parents[BibTeXDatabase.asciiLowercased(target)] else {
            if !quiet {
                diagnostics.append(.warning("bibtex.missing-crossref",
                    "entry '\(entry.key)' refers to '\(target)', which is not in this file",
                    at: span(entry.offset)))
            }
            return
        }
        let source = parent.order < order ? parent.resolved : parent.raw
        if let c = entry.fields.firstIndex(where: { $0.name == "crossref" }) {
            entry.fields[c].value = source.key
        }
        for field in source.fields where field.name != "crossref" && entry[field.name] == nil {
            entry.fields.append(field)
            entry.inherited.append(field.name)
        }
    }

    private mutating func readCommand(_ item: BibTeXItem, index: Int, v: View,
                                      quiet: Bool = false) {
        var used: [String] = []
        for field in v.fields[Int(item.firstField)..<Int(item.firstField + item.fieldCount)] where field.isComplete {
            let value = expand(field, v: v, trim: false, used: &used, quiet: quiet)
            if item.kind == .preamble {
                preamble += value
            } else {
                let name = lowerASCII(v.bytes, Int(field.nameStart), Int(field.nameEnd))
                macros[name] = value
                macroItems[name] = index
                macroDependencies[name] = used
            }
        }
    }

    private mutating func readEntry(_ item: BibTeXItem, index: Int, v: View) -> BibTeXEntry {
        let key = tree.source.string(Int(item.keyStart), Int(item.keyEnd))
        let line = cursor.line(at: Int(item.start), v.bytes)
        var entry = BibTeXEntry(type: names.lowered(v.bytes, Int(item.typeStart), Int(item.typeEnd)),
                                key: key, fields: [], item: index, offset: Int(item.start), line: line,
                                hasError: item.hasError)
        entry.fields.reserveCapacity(Int(item.fieldCount))
        do {
            let fields = v.fields
            // Names seen so far, as folded words (up to 8 bytes) or strings (longer ones).
            var seenShort: [UInt64] = []
            seenShort.reserveCapacity(Int(item.fieldCount))
            for f in Int(item.firstField)..<Int(item.firstField + item.fieldCount) {
                let field = fields[f]
                guard field.isComplete else { continue }
                let name = names.lowered(v.bytes, Int(field.nameStart), Int(field.nameEnd))
                let word = NameInterner.fold(v.bytes, Int(field.nameStart), Int(field.nameEnd))
                let repeated = word != 0 ? seenShort.contains(word)
                    : entry.fields.contains(where: { $0.name.utf8.count > 8 && $0.name == name })
                if word != 0 { seenShort.append(word) }
                if repeated {
                    diagnostics.append(.warning("bibtex.repeated-field",
                        "repeated field '\(name)' in entry '\(key)'; the first value is kept",
                        at: span(Int(field.nameStart), length: Int(field.nameEnd - field.nameStart)),
                        notes: ["bibtex says: I'm ignoring \(key)'s extra \"\(name)\" field"]))
                    continue
                }
                let value = expand(field, v: v, trim: true, used: &entry.macrosUsed)
                entry.fields.append((name, value))
            }
        }
        return entry
    }

    /// A field's value: its parts concatenated with bibtex's white-space compression. Records the
    /// user macros it uses in `used`.
    private mutating func expand(_ field: BibTeXFieldSyntax, v: View, trim: Bool,
                                 used: inout [String], quiet: Bool = false) -> String {
        let first = Int(field.firstPart)
        let count = Int(field.partCount)
        do {
            let parts = v.parts
            // Fast path: one literal part that needs no white-space work.
            if count == 1, v.utf8 {
                let part = parts[first]
                if part.kind != .macro, ValueBuffer.isClean(v.bytes, part.contentStart, part.contentEnd, trim: trim) {
                    return String(decoding: UnsafeBufferPointer(rebasing: v.bytes[part.contentStart..<part.contentEnd]),
                                  as: UTF8.self)
                }
            }
            buffer.reset()
            for i in first..<(first + count) {
                let part = parts[i]
                switch part.kind {
                case .braced, .quoted, .number:
                    buffer.append(v.bytes, part.contentStart, part.contentEnd)
                case .macro:
                    let name = lowerASCII(v.bytes, Int(part.start), Int(part.end))
                    if let value = macros[name] {
                        buffer.append(value)
                        if macroItems[name] != nil { used.append(name) }
                    } else if !quiet {
                        let raw = tree.source.string(Int(part.start), Int(part.end))
                        diagnostics.append(.warning("bibtex.undefined-string",
                            "undefined @string '\(raw)'; it adds nothing to the value",
                            at: span(Int(part.start), length: Int(part.end - part.start)),
                            notes: ["bibtex says: Warning--string name \"\(name)\" is undefined"]))
                    }
                }
            }
            if trim { buffer.trim() }
            return buffer.string()
        }
    }
}

/// Unsafe views of a tree's arrays, valid inside `withView`.
struct View {
    let bytes: UnsafeBufferPointer<UInt8>
    let items: UnsafeBufferPointer<BibTeXItem>
    let fields: UnsafeBufferPointer<BibTeXFieldSyntax>
    let parts: UnsafeBufferPointer<BibTeXValuePart>
    let utf8: Bool
}

extension BibTeXSyntaxTree {
    func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try source.bytes.withUnsafeBufferPointer { bytes in
            try items.withUnsafeBufferPointer { items in
                try fields.withUnsafeBufferPointer { fields in
                    try parts.withUnsafeBufferPointer { parts in
                        try body(View(bytes: bytes, items: items, fields: fields, parts: parts,
                                      utf8: source.encoding == .utf8))
                    }
                }
            }
        }
    }
}

/// The database bibtex would read from one file, every entry kept in memory.
public struct BibTeXDatabase: Sendable {
    public let tree: BibTeXSyntaxTree
    public private(set) var entries: [BibTeXEntry] = []
    /// Macros at the end of the file (lower-cased name → value), the month macros included.
    public let macros: [String: String]
    /// Where each user macro was defined: name → item index.
    public let macroItems: [String: Int]
    /// The concatenated @preamble values.
    public let preamble: String
    /// Syntax errors, then semantic errors and warnings (repeated keys, undefined macros, …).
    public let diagnostics: [Diagnostic]
    /// Lower-cased key → index in `entries`.
    public private(set) var index: [String: Int] = [:]

    /// Reads the tree. `crossref: false` skips inheritance (the entries as written).
    public init(_ tree: BibTeXSyntaxTree, crossref: Bool = true) {
        self.tree = tree
        var reader = BibTeXReader(tree)
        reader.crossref = crossref
        var entries: [BibTeXEntry] = []
        entries.reserveCapacity(tree.items.count / 2)
        reader.read { entries.append($0) }
        self.entries = entries
        self.macros = reader.macros
        self.macroItems = reader.macroItems
        self.preamble = reader.preamble
        self.diagnostics = reader.diagnostics
        for (i, entry) in entries.enumerated() { index[Self.asciiLowercased(entry.key)] = i }
    }

    public init(path: String, bytes: [UInt8]) {
        self.init(BibTeXParser.parse(BibTeXSource(path: path, bytes: bytes)))
    }

    public init(path: String, text: String) {
        self.init(BibTeXParser.parse(BibTeXSource(path: path, text: text)))
    }

    /// Positions in the file, for tests and tools.
    public var lines: BibTeXLineMap { BibTeXLineMap(tree.source) }

    /// The entry with this key (bibtex matches keys without regard to ASCII case).
    public func entry(_ key: String) -> BibTeXEntry? {
        index[Self.asciiLowercased(key)].map { entries[$0] }
    }

    /// bibtex's case folding: ASCII letters only.
    public static func asciiLowercased(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

/// Counts lines forward from the last position asked (entries are asked in file order).
struct LineCursor {
    var offset = 0
    var line = 1

    mutating func line(at target: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        if target < offset { offset = 0; line = 1 }
        guard let base = b.baseAddress else { return line }
        let raw = UnsafeRawPointer(base)
        var i = offset
        var count = 0
        // Eight bytes at a time: count the bytes equal to '\n'.
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while i + 8 <= target {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ newlines
            let t = ((x & low7) &+ low7) | x
            count += (~t & ~low7).nonzeroBitCount
            i += 8
        }
        while i < target { if b[i] == 0x0A { count += 1 }; i += 1 }
        line += count
        offset = target
        return line
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

/// Field names and entry types recur: one String per distinct spelling, from a direct-mapped cache.
struct NameInterner {
    var keys = [UInt64](repeating: 0, count: 512)
    var names = [String](repeating: "", count: 512)

    /// A name of 1…8 bytes folded to ASCII lower case and packed in a word; 0 for longer ones.
    @inline(__always)
    static func fold(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        let length = end - start
        guard length > 0, length <= 8 else { return 0 }
        var packed: UInt64 = 0
        for i in 0..<length {
            var c = bytes[start + i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            packed = packed << 8 | UInt64(c)
        }
        return packed
    }

    mutating func lowered(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let length = end - start
        guard length > 0, length <= 7 else { return lowerASCII(bytes, start, end) }
        var packed: UInt64 = 0
        for i in 0..<length {
            var c = bytes[start + i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            packed = packed << 8 | UInt64(c)
        }
        packed |= UInt64(length) << 56
        let slot = Int(truncatingIfNeeded: (packed &* 0x9E37_79B9_7F4A_7C15) >> 55)
        if keys[slot] == packed { return names[slot] }
        let name = lowerASCII(bytes, start, end)
        keys[slot] = packed
        names[slot] = name
        return name
    }
}

/// The keys read so far, compared as bibtex does (ASCII case folded), without making Strings.
struct KeySet {
    private var slots: [Int32]
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        starts.reserveCapacity(capacity)
        ends.reserveCapacity(capacity)
    }

    @inline(__always) static func fold(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// Inserts the key at bytes[start..<end]; false when an equal key was inserted before.
    mutating func insert(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        let raw = UnsafeRawPointer(b.baseAddress!)
        while i + 8 <= end {
            // ASCII case folded eight bytes at a time: set bit 5 of A…Z only.
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let x = w & ~highs
            let atLeastA = (x &+ ones &* (0x80 - 0x41)) & highs
            let pastZ = (x &+ ones &* (0x80 - 0x5B)) & highs
            let upper = atLeastA & ~pastZ & ~w & highs
            let folded = w | (upper >> 2)
            hash = (hash ^ folded) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            i += 8
        }
        while i < end { hash = (hash ^ UInt64(Self.fold(b[i]))) &* 0x100_0000_01b3; i += 1 }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let found = Int(slots[slot])
            if found < 0 { break }
            let s = Int(starts[found]), e = Int(ends[found])
            if e - s == end - start {
                var same = true
                for i in 0..<(e - s) where Self.fold(b[s + i]) != Self.fold(b[start + i]) { same = false; break }
                if same { return false }
            }
            slot = (slot + 1) & mask
        }
        if starts.count * 2 >= slots.count { grow(b) ; return insert(b, start, end) }
        slots[slot] = Int32(starts.count)
        starts.append(Int32(start))
        ends.append(Int32(end))
        return true
    }

    private mutating func grow(_ b: UnsafeBufferPointer<UInt8>) {
        let oldStarts = starts, oldEnds = ends
        self = KeySet(capacity: slots.count)
        for i in oldStarts.indices { _ = insert(b, Int(oldStarts[i]), Int(oldEnds[i])) }
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
        for c in text.utf8 { appendByte(c) }
    }

    /// True when bytes[start..<end] is already what compression (and trimming) would make it.
    static func isClean(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, trim: Bool) -> Bool {
        if start >= end { return true }
        if trim && (b[start] == 0x20 || b[end - 1] == 0x20) { return false }
        var previousSpace = false
        var i = start
        // Eight bytes at a time: no control byte (tab, newline…) and no two spaces in a row. The
        // tests may answer "unclean" for a clean word; the slow path then does the exact work.
        let raw = UnsafeRawPointer(b.baseAddress!)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let spaces: UInt64 = 0x2020_2020_2020_2020
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if (w &- spaces) & ~w & highs != 0 { return false }
            let x = w ^ spaces
            let z = (x &- ones) & ~x & highs
            if z != 0 {
                if z & (z >> 8) != 0 { return false }
                if previousSpace && w & 0xFF == 0x20 { return false }
            }
            previousSpace = w >> 56 == 0x20
            i += 8
        }
        while i < end {
            let c = b[i]
            if c <= 0x20 {
                if c == 0x09 || c == 0x0A || c == 0x0D { return false }
                if c == 0x20 {
                    if previousSpace { return false }
                    previousSpace = true
                } else {
                    previousSpace = false
                }
            } else {
                previousSpace = false
            }
            i += 1
        }
        return true
    }

    mutating func trim() {
        if bytes.last == 0x20 { bytes.removeLast() }
        if bytes.first == 0x20 { bytes.removeFirst() }
    }

    func string() -> String { String(decoding: bytes, as: UTF8.self) }
}
