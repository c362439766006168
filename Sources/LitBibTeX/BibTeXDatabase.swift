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
    /// Scratch for `readEntry`: the folded names of the fields read so far.
    private var seenWords: [UInt64] = []
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
        let tree = self.tree
        try tree.withView { v in
            do {
                let repeated = repeatedKeys(v)
                var nextRepeated = 0
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
                        if nextRepeated < repeated.count && repeated[nextRepeated] == index {
                            nextRepeated += 1
                            let key = tree.source.string(Int(item.keyStart), Int(item.keyEnd))
                            diagnostics.append(.error("bibtex.repeated-entry",
                                "repeated entry '\(key)'; the first one is kept",
                                at: span(Int(item.keyStart), length: Int(item.keyEnd - item.keyStart)),
                                notes: ["bibtex says: Repeated entry"]))
                            continue
                        }
                        var (entry, crossrefField) = readEntry(item, index: index, v: v)
                        if crossref, let c = crossrefField {
                            inherit(&entry, from: entry.fields[c].value, parents: parents, order: index)
                        }
                        if collectStrings && !entry.macrosUsed.isEmpty { entry.strings = strings(for: entry) }
                        try body(entry)
                    }
                }
            }
        }
    }

    /// Indices of the entry items whose key repeats an earlier entry's (bibtex keeps the first), in
    /// order. One tight pass over the keys' hashes, so that the table's cache misses overlap.
    private func repeatedKeys(_ v: View) -> [Int] {
        var repeated: [Int] = []
        var seen = KeySet(capacity: v.items.count / 2 + 16)
        tree.keyHashes.withUnsafeBufferPointer { hashes in
            for index in v.items.indices {
                let item = v.items[index]
                guard item.kind == .entry, item.keyStart >= 0 else { continue }
                if !seen.insert(hashes[index], v.bytes, Int(item.keyStart), Int(item.keyEnd)) { repeated.append(index) }
            }
        }
        return repeated
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
        // The parser listed the crossref fields: only the entries holding one are looked at.
        let candidates = tree.crossrefFields
        guard !candidates.isEmpty else { return targets }
        var next = 0
        tree.withView { v in
            for index in tree.items.indices {
                let item = tree.items[index]
                if item.kind == .string || item.kind == .preamble {
                    readCommand(item, index: index, v: v, quiet: true)
                    continue
                }
                guard item.kind == .entry, item.keyStart >= 0 else { continue }
                let first = item.firstField, end = item.firstField + item.fieldCount
                while next < candidates.count && candidates[next] < first { next += 1 }
                guard next < candidates.count && candidates[next] < end else { continue }
                for field in v.fields[Int(first)..<Int(end)]
                    where field.isComplete && NameInterner.fold(v.bytes, Int(field.nameStart), Int(field.nameEnd)) == NameInterner.crossref {
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
        // Keys are compared by their case-folded hash first, so that only likely targets become Strings.
        let hashes = Set(targets.map { target in
            var target = target
            return target.withUTF8 { KeySet.foldedHash($0, 0, $0.count) }
        })
        let keyHashes = tree.keyHashes
        tree.withView { v in
            for index in tree.items.indices {
                let item = tree.items[index]
                if item.kind == .string || item.kind == .preamble {
                    readCommand(item, index: index, v: v, quiet: true)
                    continue
                }
                guard item.kind == .entry, item.keyStart >= 0, hashes.contains(keyHashes[index]) else { continue }
                let lowered = lowerASCII(v.bytes, Int(item.keyStart), Int(item.keyEnd))
                guard targets.contains(lowered), parents[lowered] == nil else { continue }
                let saved = diagnostics.count
                var (entry, crossrefField) = readEntry(item, index: index, v: v, countingLines: false)
                diagnostics.removeLast(diagnostics.count - saved)
                let raw = entry
                if let c = crossrefField {
                    inherit(&entry, from: entry.fields[c].value, parents: parents, order: index, quiet: true)
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

    /// The entry of `item`, and the index in its fields of its `crossref` field. Without
    /// `countingLines` (for crossref parents read ahead) its line is left 0.
    private mutating func readEntry(_ item: BibTeXItem, index: Int, v: View,
                                    countingLines: Bool = true) -> (BibTeXEntry, Int?) {
        let key = tree.source.string(Int(item.keyStart), Int(item.keyEnd))
        let line = countingLines ? cursor.line(at: Int(item.start), v.bytes) : 0
        var entry = BibTeXEntry(type: names.lowered(v.bytes, Int(item.typeStart), Int(item.typeEnd)).name,
                                key: key, fields: [], item: index, offset: Int(item.start), line: line,
                                hasError: item.hasError)
        entry.fields.reserveCapacity(Int(item.fieldCount))
        var crossrefField: Int?
        // Names seen so far, as folded words (names of up to 8 bytes; longer ones are compared as
        // Strings with the fields kept).
        seenWords.removeAll(keepingCapacity: true)
        let fields = v.fields
        for f in Int(item.firstField)..<Int(item.firstField + item.fieldCount) {
            let field = fields[f]
            guard field.isComplete else { continue }
            let (name, word) = names.lowered(v.bytes, Int(field.nameStart), Int(field.nameEnd))
            let repeated = word != 0 ? seenWords.contains(word)
                : entry.fields.contains(where: { $0.name.utf8.count > 8 && $0.name == name })
            if repeated {
                diagnostics.append(.warning("bibtex.repeated-field",
                    "repeated field '\(name)' in entry '\(key)'; the first value is kept",
                    at: span(Int(field.nameStart), length: Int(field.nameEnd - field.nameStart)),
                    notes: ["bibtex says: I'm ignoring \(key)'s extra \"\(name)\" field"]))
                continue
            }
            if word != 0 {
                seenWords.append(word)
                if word == NameInterner.crossref { crossrefField = entry.fields.count }
            }
            let value = expand(field, v: v, trim: true, used: &entry.macrosUsed)
            entry.fields.append((name, value))
        }
        return (entry, crossrefField)
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

/// Counts lines from the last position asked to the next (entries are mostly asked in file order;
/// a position before the last one is counted backwards).
struct LineCursor {
    var offset = 0
    var line = 1

    mutating func line(at target: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        if target >= offset {
            line += Self.newlines(b, offset, target)
        } else {
            line -= Self.newlines(b, target, offset)
        }
        offset = target
        return line
    }

    /// The number of '\n' bytes in b[start..<end], sixteen bytes at a time.
    static func newlines(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        guard let base = b.baseAddress, start < end else { return 0 }
        let raw = UnsafeRawPointer(base)
        let newline = SIMD16<UInt8>(repeating: 0x0A)
        let one = SIMD16<UInt8>(repeating: 1), zero = SIMD16<UInt8>(repeating: 0)
        var count = 0
        var i = start
        while i + 16 <= end {
            // Per-lane counts stay below 256: at most 255 blocks before they are summed.
            var lanes = zero
            let stop = min(end - 16, i + 16 * 254)
            while i <= stop {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                lanes &+= one.replacing(with: zero, where: v .!= newline)
                i += 16
            }
            count += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while i < end {
            if b[i] == 0x0A { count += 1 }
            i += 1
        }
        return count
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

/// Field names and entry types recur: one String per distinct spelling, from a direct-mapped cache
/// keyed by the folded word.
struct NameInterner {
    var keys = [UInt64](repeating: 0, count: 512)
    var names = [String](repeating: "", count: 512)

    /// `crossref`, folded.
    static let crossref: UInt64 = 0x6665_7273_736F_7263

    /// A name of 1…8 bytes folded to ASCII lower case and packed in a word, first byte lowest
    /// (unique: names hold no NUL byte); 0 for longer ones.
    @inline(__always)
    static func fold(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        let length = end - start
        guard length > 0, length <= 8, let base = bytes.baseAddress else { return 0 }
        var w: UInt64 = 0
        if start + 8 <= bytes.count {
            w = UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self)
            if length < 8 { w &= (1 &<< (UInt64(length) &* 8)) &- 1 }
        } else {
            for i in 0..<length { w |= UInt64(bytes[start + i]) &<< (UInt64(i) &* 8) }
        }
        return KeySet.lowercased(w)
    }

    /// The name folded to lower case, and its folded word (0 for names over 8 bytes).
    mutating func lowered(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (name: String, word: UInt64) {
        let word = Self.fold(bytes, start, end)
        guard word != 0 else { return (lowerASCII(bytes, start, end), 0) }
        let slot = Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> 55)
        if keys[slot] == word { return (names[slot], word) }
        let name = lowerASCII(bytes, start, end)
        keys[slot] = word
        names[slot] = name
        return (name, word)
    }
}

/// The keys read so far, compared as bibtex does (ASCII case folded), without making Strings. A
/// slot holds the upper half of the key's hash and its index, so that probing rarely touches keys.
struct KeySet {
    private var slots: [UInt64]
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private var hashes: [UInt64] = []
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        starts.reserveCapacity(capacity)
        ends.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    @inline(__always) static func fold(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// Eight bytes with ASCII A…Z lower-cased (bit 5 set on those bytes only).
    @inline(__always) static func lowercased(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let x = w & ~highs
        let atLeastA = (x &+ ones &* (0x80 - 0x41)) & highs
        let pastZ = (x &+ ones &* (0x80 - 0x5B)) & highs
        let upper = atLeastA & ~pastZ & ~w & highs
        return w | (upper >> 2)
    }

    /// A hash of bytes[start..<end] with ASCII letters case folded.
    static func foldedHash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        guard start < end, let base = b.baseAddress else { return 0xcbf2_9ce4_8422_2325 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        let raw = UnsafeRawPointer(base)
        while i + 8 <= end {
            // ASCII case folded eight bytes at a time.
            let folded = lowercased(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            hash = (hash ^ folded) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            i += 8
        }
        while i < end { hash = (hash ^ UInt64(Self.fold(b[i]))) &* 0x100_0000_01b3; i += 1 }
        hash ^= hash >> 32
        return hash &* 0x9E37_79B9_7F4A_7C15
    }

    /// Inserts the key at bytes[start..<end] with its `foldedHash`; false when an equal key was
    /// inserted before.
    mutating func insert(_ hash: UInt64, _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash >> 20) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let found = Int(entry & 0xFFFF_FFFF) - 1
                let s = Int(starts[found]), e = Int(ends[found])
                if e - s == end - start {
                    var same = true
                    for i in 0..<(e - s) where Self.fold(b[s + i]) != Self.fold(b[start + i]) { same = false; break }
                    if same { return false }
                }
            }
            slot = (slot + 1) & mask
        }
        if starts.count * 2 >= slots.count { grow(b); return insert(hash, b, start, end) }
        slots[slot] = tag | UInt64(starts.count + 1)
        starts.append(Int32(start))
        ends.append(Int32(end))
        hashes.append(hash)
        return true
    }

    private mutating func grow(_ b: UnsafeBufferPointer<UInt8>) {
        let old = self
        self = KeySet(capacity: slots.count)
        for i in old.starts.indices { _ = insert(old.hashes[i], b, Int(old.starts[i]), Int(old.ends[i])) }
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
        guard start < end, let base = source.baseAddress else { return }
        appendCompressed(UnsafeBufferPointer(start: base + start, count: end - start))
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { appendCompressed($0) }
    }

    /// Appends UTF-8 bytes as `appendByte` would, one by one.
    private mutating func appendCompressed(_ input: UnsafeBufferPointer<UInt8>) {
        WhiteSpace.appendCollapsed(input, to: &bytes, atStart: true)
    }

    /// True when bytes[start..<end] is already what compression (and trimming) would make it.
    static func isClean(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, trim: Bool) -> Bool {
        if start >= end { return true }
        if trim && (b[start] == 0x20 || b[end - 1] == 0x20) { return false }
        var previousSpace = false
        var i = start
        let raw = UnsafeRawPointer(b.baseAddress!)
        // Sixteen bytes at a time: no control byte (tab, newline…) and no two spaces in a row.
        let controls = SIMD16<UInt8>(repeating: 0x20), blanks = SIMD16<UInt8>(repeating: 0x20)
        while i + 16 <= end {
            let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let control = unsafeBitCast(v .< controls, to: SIMD2<UInt64>.self)
            if control[0] | control[1] != 0 { return false }
            let space = unsafeBitCast(v .== blanks, to: SIMD2<UInt64>.self)
            let s0 = space[0], s1 = space[1]
            if s0 & (s0 << 8) != 0 || s1 & (s1 << 8) != 0 || (s0 >> 56 != 0 && s1 & 0xFF != 0) { return false }
            if previousSpace && s0 & 0xFF != 0 { return false }
            previousSpace = s1 >> 56 != 0
            i += 16
        }
        // Then eight at a time. These tests may answer "unclean" for a clean word; the slow path
        // then does the exact work.
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
