// The lexicon matcher: every phrase and model name of a taxonomy compiled once into a trie over
// normalised words, then run over titles, abstracts and keywords in one pass per text. It promises
// word-boundary matches, case-insensitive except for short acronyms, plural forms, and hyphen/space/
// joined variants, reporting the leftmost-longest match at each position with the text as written.
//
// Rules (documented in the README):
// - Text is split into words at every character that is not a letter or digit; `-` and dashes join
//   words only in the sense that `cross-attention` also matches a phrase written `crossattention`.
// - A phrase matches the same words in order, whatever separates them (space, hyphen, slash…), and
//   also written as one word (`cross attention` = `cross-attention` = `crossattention`).
// - Case is ignored, except for acronyms: a phrase with at most 4 letters of which at least 2 are
//   capitals (`CLIP`, `DiT`, `SAE`, `GPT-4V`) matches only in that case.
// - Phrases (not model names) also match with their last word in plural or singular form
//   (`probe`/`probes`, `analysis`/`analyses`, `attention head`/`attention heads`).
// - At each position the longest phrase wins; matching resumes after it.
import LitModel

/// Which part of a paper a match was found in.
public enum LexiconField: String, Sendable, Codable, CaseIterable {
    case title, abstract, keywords
}

/// One lexicon match: the entry it signals, where and as what it was found.
public struct LexiconMatch: Sendable, Hashable {
    public var kind: TaxonomyKind
    public var id: String
    public var field: LexiconField
    /// The text as it appears in the paper, e.g. `Sparse Autoencoders` or `BLIP-2`.
    public var phrase: String
    /// The model name that matched, when the entry is a model class signalled by one of its models.
    public var model: String?

    public init(kind: TaxonomyKind, id: String, field: LexiconField, phrase: String, model: String? = nil) {
        self.kind = kind
        self.id = id
        self.field = field
        self.phrase = phrase
        self.model = model
    }
}

/// A taxonomy's phrases compiled for matching. Build once, use from any thread.
public final class Lexicon: Sendable {
    /// What a complete path through the trie signals.
    struct Terminal: Sendable {
        var kind: TaxonomyKind
        var id: String
        /// Index of the entry in the taxonomy, for de-duplicating matches without strings.
        var target: Int = 0
        var model: String?
        /// For case-sensitive phrases: the letters and digits as written, to compare byte for byte.
        var exact: [UInt8]?
    }

    struct TrieNode: Sendable {
        var children: [UInt64: Int32] = [:]
        var terminals: [Int32] = []
    }

    /// The trie's edges in one open-addressing table: (parent node, word hash) → child node.
    let slotHash: [UInt64]
    let slotParent: [Int32]
    let slotChild: [Int32]
    let slotShift: UInt64
    /// Per node: whether it has children, and its terminals (`terminalList[terminalStart[n]..<terminalStart[n+1]]`).
    let hasChildren: [Bool]
    let terminalStart: [Int32]
    let terminalList: [Int32]
    let terminals: [Terminal]
    /// Per terminal: its entry's index, and whether it is case-sensitive (read without copying a `Terminal`).
    let terminalTarget: [Int]
    let terminalExact: [Bool]
    /// Number of taxonomy entries (targets).
    let targetCount: Int
    /// A bit per value of a word hash's low 16 bits: set when some phrase starts with such a word.
    /// Most words of a text start no phrase; this rejects them without a table lookup.
    let firstWords: [UInt64]

    /// Compiles every phrase and model name of `taxonomy`.
    public convenience init(_ taxonomy: Taxonomy) {
        var builder = Builder()
        for (target, entry) in taxonomy.entries.enumerated() {
            for phrase in [entry.name] where entry.kind != .gap && entry.phrases.isEmpty {
                builder.add(phrase, terminal: Terminal(kind: entry.kind, id: entry.id, target: target), plurals: true)
            }
            for phrase in entry.phrases {
                builder.add(phrase, terminal: Terminal(kind: entry.kind, id: entry.id, target: target), plurals: true)
            }
            for model in entry.models {
                builder.add(model, terminal: Terminal(kind: entry.kind, id: entry.id, target: target, model: model), plurals: false)
            }
        }
        self.init(nodes: builder.nodes, terminals: builder.terminals, targets: taxonomy.entries.count)
    }

    init(nodes: [TrieNode], terminals: [Terminal], targets: Int) {
        self.terminals = terminals
        terminalTarget = terminals.map(\.target)
        terminalExact = terminals.map { $0.exact != nil }
        targetCount = max(targets, (terminals.map(\.target).max() ?? -1) + 1)
        var bits = [UInt64](repeating: 0, count: 1024)
        for hash in nodes[0].children.keys { bits[Int((hash >> 6) & 1023)] |= 1 << (hash & 63) }
        firstWords = bits

        let edges = nodes.reduce(0) { $0 + $1.children.count }
        var size = 16
        while size < edges * 2 { size *= 2 }
        var shift: UInt64 = 64
        var s = size
        while s > 1 { s >>= 1; shift -= 1 }
        var hashes = [UInt64](repeating: 0, count: size)
        var parents = [Int32](repeating: -1, count: size)
        var children = [Int32](repeating: -1, count: size)
        for (parent, node) in nodes.enumerated() {
            for (hash, child) in node.children {
                var slot = Self.slot(parent: Int32(parent), hash: hash, shift: shift)
                while parents[slot] >= 0 { slot = (slot + 1) & (size - 1) }
                hashes[slot] = hash
                parents[slot] = Int32(parent)
                children[slot] = child
            }
        }
        slotHash = hashes
        slotParent = parents
        slotChild = children
        slotShift = shift
        hasChildren = nodes.map { !$0.children.isEmpty }
        var starts: [Int32] = [0]
        var list: [Int32] = []
        for node in nodes {
            list += node.terminals
            starts.append(Int32(list.count))
        }
        terminalStart = starts
        terminalList = list
    }

    @inline(__always)
    static func slot(parent: Int32, hash: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((hash ^ (UInt64(UInt32(bitPattern: parent)) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9) >> shift)
    }

    /// The child of `parent` along a word with hash `hash`, or -1.
    @inline(__always)
    func child(of parent: Int32, _ hash: UInt64) -> Int32 {
        let mask = slotParent.count - 1
        var slot = Self.slot(parent: parent, hash: hash, shift: slotShift)
        while true {
            let p = slotParent[slot]
            if p < 0 { return -1 }
            if p == parent && slotHash[slot] == hash { return slotChild[slot] }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    func mayStartPhrase(_ hash: UInt64) -> Bool {
        firstWords[Int((hash >> 6) & 1023)] & (1 << (hash & 63)) != 0
    }

    /// True when `phrase` has at least one letter or digit (a phrase without any can never match).
    public static func isMatchable(_ phrase: String) -> Bool {
        !Tokenizer.tokens(of: Array(phrase.utf8)).isEmpty
    }

    /// One match per entry, the first found, searching the title, then the abstract, then each keyword.
    public func firstMatches(title: String?, abstract: String?, keywords: [String] = []) -> [LexiconMatch] {
        var out: [LexiconMatch] = []
        forEachFirstMatch(title: title, abstract: abstract, keywords: keywords) { terminal, field, phrase in
            out.append(LexiconMatch(kind: terminal.kind, id: terminal.id, field: field,
                                    phrase: String(decoding: phrase, as: UTF8.self), model: terminal.model))
        }
        return out
    }

    /// What `forEachFirstMatch` reports for a match: the entry's index in the taxonomy, its kind and
    /// id, and the model name that matched (for a model class signalled by one of its models).
    public struct Hit {
        public let target: Int
        public let kind: TaxonomyKind
        public let id: String
        public let model: String?
    }

    /// Calls `found` for the first match of each entry, searching the title, then the abstract, then
    /// each keyword, with the matched text as bytes (valid during the call only).
    public func forEachFirstMatch(title: String?, abstract: String?, keywords: [String],
                                  _ found: (Hit, LexiconField, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var state = MatchState()
        var title = title, abstract = abstract
        try withUTF8(&title) { title in
            try withUTF8(&abstract) { abstract in
                try forEachFirstMatch(title: title, abstract: abstract, keywords: keywords, state: &state, found)
            }
        }
    }

    private func withUTF8<T>(_ text: inout String?, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T {
        guard text != nil else { return try body(nil) }
        return try text!.withUTF8 { try body($0) }
    }

    /// What matching keeps from one paper to the next (buffers that would otherwise be made again
    /// for every paper). One per thread.
    public struct MatchState {
        var scratch = Scratch()
        var seen: [Bool] = []
        public init() {}
    }

    /// `forEachFirstMatch` over UTF-8 texts, reusing `state`'s buffers.
    public func forEachFirstMatch(title: UnsafeBufferPointer<UInt8>?, abstract: UnsafeBufferPointer<UInt8>?,
                                  keywords: [String], state: inout MatchState,
                                  _ found: (Hit, LexiconField, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        if state.seen.count != targetCount { state.seen = [Bool](repeating: false, count: targetCount) }
        else { for k in state.seen.indices { state.seen[k] = false } }
        func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ field: LexiconField) throws {
            try collect(in: bytes, scratch: &state.scratch) { t, range in
                guard !state.seen[terminalTarget[Int(t)]] else { return }
                let terminal = terminals[Int(t)]
                state.seen[terminal.target] = true
                try found(Hit(target: terminal.target, kind: terminal.kind, id: terminal.id, model: terminal.model),
                          field, UnsafeBufferPointer(rebasing: bytes[range]))
            }
        }
        if let title { try scan(title, .title) }
        if let abstract { try scan(abstract, .abstract) }
        for keyword in keywords {
            var keyword = keyword
            try keyword.withUTF8 { try scan($0, .keywords) }
        }
    }

    /// Every match in `text`, in text order (leftmost-longest, non-overlapping).
    public func matches(in text: String, field: LexiconField) -> [LexiconMatch] {
        var text = text
        return text.withUTF8 { bytes in
            matches(in: bytes, field: field)
        }
    }

    func matches(in bytes: UnsafeBufferPointer<UInt8>, field: LexiconField) -> [LexiconMatch] {
        var out: [LexiconMatch] = []
        var scratch = Scratch()
        collect(in: bytes, scratch: &scratch) { t, range in
            let terminal = terminals[Int(t)]
            out.append(LexiconMatch(kind: terminal.kind, id: terminal.id, field: field,
                                    phrase: String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self),
                                    model: terminal.model))
        }
        return out
    }

    /// Buffers reused across the texts of one paper.
    struct Scratch {
        var tokens: [Token] = []
        var best: [Int32] = []
        var targets: [Int] = []
    }

    /// Calls `found` with each terminal matched (one per entry at each match position) and the byte
    /// range of the matched text.
    func collect(in bytes: UnsafeBufferPointer<UInt8>, scratch: inout Scratch,
                 _ found: (Int32, Range<Int>) throws -> Void) rethrows {
        Tokenizer.tokens(of: bytes, into: &scratch.tokens)
        let count = scratch.tokens.count
        var i = 0
        while i < count {
            // The common case: the word starts no phrase.
            let token = scratch.tokens[i]
            guard mayStartPhrase(token.hash) || token.hyphenNext else {
                i += 1
                continue
            }
            var bestEnd = -1
            scratch.best.removeAll(keepingCapacity: true)
            scratch.tokens.withUnsafeBufferPointer { tokens in
                walk(node: 0, next: i, phraseStart: i, tokens: tokens, bytes: bytes, bestEnd: &bestEnd, best: &scratch.best)
            }
            guard bestEnd >= 0 else {
                i += 1
                continue
            }
            let range = token.start..<scratch.tokens[bestEnd].end
            scratch.targets.removeAll(keepingCapacity: true)
            for t in scratch.best {
                let target = terminalTarget[Int(t)]
                guard !scratch.targets.contains(target) else { continue }
                scratch.targets.append(target)
                try found(t, range)
            }
            i = bestEnd + 1
        }
    }

    /// Follows the trie from `node` over the words starting at token `next`, recording the longest
    /// accepted end of a phrase that started at token `phraseStart`. A word of the trie may be several
    /// hyphen-joined words of the text (`cross-attention` for `crossattention`).
    private func walk(node: Int32, next: Int, phraseStart: Int, tokens: UnsafeBufferPointer<Token>,
                      bytes: UnsafeBufferPointer<UInt8>, bestEnd: inout Int, best: inout [Int32]) {
        var last = next
        var hash = tokens[next].hash
        while true {
            let child = child(of: node, hash)
            if child >= 0 {
                let c = Int(child)
                for k in Int(terminalStart[c])..<Int(terminalStart[c + 1]) {
                    let t = terminalList[k]
                    guard last >= bestEnd,
                          accepts(t, start: tokens[phraseStart].start, endToken: last, tokens: tokens, bytes: bytes) else { continue }
                    if last > bestEnd {
                        bestEnd = last
                        best.removeAll(keepingCapacity: true)
                    }
                    best.append(t)
                }
                if last + 1 < tokens.count, hasChildren[c] {
                    walk(node: child, next: last + 1, phraseStart: phraseStart, tokens: tokens, bytes: bytes,
                         bestEnd: &bestEnd, best: &best)
                }
            }
            guard tokens[last].hyphenNext, last + 1 < tokens.count else { return }
            last += 1
            hash = Tokenizer.continueHash(hash, bytes, tokens[last])
        }
    }

    /// A case-sensitive terminal accepts only the exact letters and digits it was written with.
    private func accepts(_ t: Int32, start: Int, endToken: Int, tokens: UnsafeBufferPointer<Token>,
                         bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard terminalExact[Int(t)], let exact = terminals[Int(t)].exact else { return true }
        var k = 0
        for index in start..<tokens[endToken].end where Tokenizer.isWordByte(bytes[index]) {
            guard k < exact.count, bytes[index] == exact[k] else { return false }
            k += 1
        }
        return k == exact.count
    }
}

/// A word of a text: its byte range, the hash of its lower-cased bytes, and whether a hyphen joins it
/// to the next word.
struct Token {
    var start: Int
    var end: Int
    var hash: UInt64
    var hyphenNext: Bool
}

/// Splits UTF-8 bytes into words. Letters and digits (ASCII, and any non-ASCII character except
/// dashes, quotes and no-break space) form words; everything else separates them.
enum Tokenizer {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b >= 0x80
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    /// Length of a non-ASCII separator at `i` (dashes U+2010–2015, quotes U+2018–201F, U+00A0), else 0;
    /// `dash` says whether it is a dash.
    @inline(__always)
    static func separator(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (length: Int, dash: Bool) {
        let b = bytes[i]
        if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80 {
            let c = bytes[i + 2]
            if c >= 0x90 && c <= 0x95 { return (3, true) }
            if c >= 0x98 && c <= 0x9F { return (3, false) }
        }
        if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 { return (2, false) }
        return (0, false)
    }

    static func tokens(of array: [UInt8]) -> [Token] {
        array.withUnsafeBufferPointer { tokens(of: $0) }
    }

    static func tokens(of bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        var out: [Token] = []
        tokens(of: bytes, into: &out)
        return out
    }

    /// Replaces the contents of `out` with the words of `bytes`.
    static func tokens(of bytes: UnsafeBufferPointer<UInt8>, into out: inout [Token]) {
        out.removeAll(keepingCapacity: true)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if !isWordByte(b) {
                i += 1
                continue
            }
            if b >= 0x80 {
                let sep = separator(bytes, i)
                if sep.length > 0 {
                    i += sep.length
                    continue
                }
            }
            let start = i
            var hash = offset
            while i < n {
                let c = bytes[i]
                guard isWordByte(c) else { break }
                if c >= 0x80, separator(bytes, i).length > 0 { break }
                hash = (hash ^ UInt64(lower(c))) &* prime
                i += 1
            }
            var hyphenNext = false
            if i < n {
                if bytes[i] == 0x2D, i + 1 < n, isWordByte(bytes[i + 1]), separator(bytes, i + 1).length == 0 {
                    hyphenNext = true
                } else if bytes[i] >= 0x80 {
                    let sep = separator(bytes, i)
                    if sep.dash, i + sep.length < n, isWordByte(bytes[i + sep.length]) { hyphenNext = true }
                }
            }
            out.append(Token(start: start, end: i, hash: hash, hyphenNext: hyphenNext))
        }
    }

    /// The hash of a word made of the word hashed so far followed by `token`'s bytes.
    static func continueHash(_ hash: UInt64, _ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> UInt64 {
        var h = hash
        for i in token.start..<token.end { h = (h ^ UInt64(lower(bytes[i]))) &* prime }
        return h
    }

    static func hash<S: Sequence>(_ word: S) -> UInt64 where S.Element == UInt8 {
        var h = offset
        for b in word { h = (h ^ UInt64(lower(b))) &* prime }
        return h
    }
}

/// Builds the trie: each phrase in its variants (separate words, hyphen groups joined, all joined;
/// last word singular and plural).
struct Builder {
    var nodes: [Lexicon.TrieNode] = [Lexicon.TrieNode()]
    var terminals: [Lexicon.Terminal] = []

    mutating func add(_ phrase: String, terminal: Lexicon.Terminal, plurals: Bool) {
        let bytes = Array(phrase.utf8)
        let tokens = Tokenizer.tokens(of: bytes)
        guard !tokens.isEmpty else { return }
        let words = tokens.map { Array(bytes[$0.start..<$0.end]) }
        var terminal = terminal
        let letters = bytes.filter { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) }
        let capitals = letters.filter { $0 >= 0x41 && $0 <= 0x5A }.count
        let caseSensitive = letters.count <= 4 && capitals >= 2 && !bytes.contains { $0 >= 0x80 }

        // Word sequences: as written; hyphen groups joined; everything joined.
        var grouped: [[UInt8]] = []
        var current: [UInt8] = []
        for (k, token) in tokens.enumerated() {
            current += words[k]
            if !token.hyphenNext {
                grouped.append(current)
                current = []
            }
        }
        var forms: [[[UInt8]]] = [words]
        if grouped.count != words.count { forms.append(grouped) }
        if words.count > 1 { forms.append([words.joined().map { $0 }]) }

        for form in forms {
            for last in plurals ? Self.numberForms(of: form[form.count - 1]) : [form[form.count - 1]] {
                var variant = form
                variant[variant.count - 1] = last
                if caseSensitive { terminal.exact = Array(variant.joined()) }
                insert(variant, terminal)
            }
        }
    }

    mutating func insert(_ words: [[UInt8]], _ terminal: Lexicon.Terminal) {
        var node = 0
        for word in words {
            let h = Tokenizer.hash(word)
            if let child = nodes[node].children[h] {
                node = Int(child)
            } else {
                nodes.append(Lexicon.TrieNode())
                let child = Int32(nodes.count - 1)
                nodes[node].children[h] = child
                node = Int(child)
            }
        }
        terminals.append(terminal)
        nodes[node].terminals.append(Int32(terminals.count - 1))
    }

    /// The word itself, its plural forms and its singular form (ASCII letter endings only).
    static func numberForms(of word: [UInt8]) -> [[UInt8]] {
        guard let last = word.last, word.count >= 2,
              (last >= 0x61 && last <= 0x7A) || (last >= 0x41 && last <= 0x5A) else { return [word] }
        let upper = last >= 0x41 && last <= 0x5A
        let lower = word.map(Tokenizer.lower)
        var forms: [[UInt8]] = [word]
        let text = String(decoding: lower, as: UTF8.self)
        if upper {
            forms.append(word + Array("s".utf8))            // SAE → SAEs
            return forms
        }
        if text.hasSuffix("sis") {                            // analysis → analyses
            forms.append(Array(word.dropLast(2)) + Array("es".utf8))
        } else if text.hasSuffix("ses") && text.count > 4 {   // analyses → analysis (and lenses → lens)
            forms.append(Array(word.dropLast(2)) + Array("is".utf8))
            forms.append(Array(word.dropLast(2)))
        } else if text.hasSuffix("ies") && text.count > 4 {   // ontologies → ontology
            forms.append(Array(word.dropLast(3)) + Array("y".utf8))
        } else if text.hasSuffix("y") && !"aeiou".contains(text.dropLast().last ?? "a") {
            forms.append(Array(word.dropLast()) + Array("ies".utf8))
        } else if text.hasSuffix("ss") || text.hasSuffix("us") || text.hasSuffix("is") {
            forms.append(word + Array("es".utf8))
        } else if text.hasSuffix("s") {                       // probes → probe, lens → lenses
            forms.append(Array(word.dropLast()))
            forms.append(word + Array("es".utf8))
        } else if text.hasSuffix("x") || text.hasSuffix("ch") || text.hasSuffix("sh") {
            forms.append(word + Array("es".utf8))
        } else {
            forms.append(word + Array("s".utf8))
        }
        return forms
    }
}
