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

    let nodes: [TrieNode]
    let terminals: [Terminal]
    /// A bit per value of a word hash's low 16 bits: set when some phrase starts with such a word.
    /// Most words of a text start no phrase; this rejects them without a dictionary lookup.
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
        self.init(nodes: builder.nodes, terminals: builder.terminals)
    }

    init(nodes: [TrieNode], terminals: [Terminal]) {
        self.nodes = nodes
        self.terminals = terminals
        var bits = [UInt64](repeating: 0, count: 1024)
        for hash in nodes[0].children.keys { bits[Int((hash >> 6) & 1023)] |= 1 << (hash & 63) }
        firstWords = bits
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
        var seen = Set<Int>()
        var out: [LexiconMatch] = []
        func scan(_ text: String, _ field: LexiconField) {
            var text = text
            text.withUTF8 { bytes in
                collect(in: bytes, field: field) { terminal, phrase in
                    guard seen.insert(terminal.target).inserted else { return }
                    out.append(LexiconMatch(kind: terminal.kind, id: terminal.id, field: field, phrase: phrase(),
                                            model: terminal.model))
                }
            }
        }
        if let title { scan(title, .title) }
        if let abstract { scan(abstract, .abstract) }
        for keyword in keywords { scan(keyword, .keywords) }
        return out
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
        collect(in: bytes, field: field) { terminal, phrase in
            out.append(LexiconMatch(kind: terminal.kind, id: terminal.id, field: field, phrase: phrase(), model: terminal.model))
        }
        return out
    }

    /// Calls `found` for each entry matched at each match position, with the matched text made on demand.
    func collect(in bytes: UnsafeBufferPointer<UInt8>, field: LexiconField,
                 _ found: (Terminal, () -> String) -> Void) {
        let tokens = Tokenizer.tokens(of: bytes)
        var i = 0
        while i < tokens.count {
            // The common case: the word starts no phrase.
            guard mayStartPhrase(tokens[i].hash) || tokens[i].hyphenNext else {
                i += 1
                continue
            }
            var best: (end: Int, terminals: [Int32])? = nil
            walk(node: 0, next: i, phraseStart: i, tokens: tokens, bytes: bytes, best: &best)
            guard let match = best else {
                i += 1
                continue
            }
            let start = tokens[i].start, end = tokens[match.end].end
            let phrase = { String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) }
            var targets: [Int] = []
            for t in match.terminals {
                let terminal = terminals[Int(t)]
                guard !targets.contains(terminal.target) else { continue }
                targets.append(terminal.target)
                found(terminal, phrase)
            }
            i = match.end + 1
        }
    }

    /// Follows the trie from `node` over the words starting at token `next`, recording the longest
    /// accepted end of a phrase that started at token `phraseStart`. A word of the trie may be several
    /// hyphen-joined words of the text (`cross-attention` for `crossattention`).
    private func walk(node: Int, next: Int, phraseStart: Int, tokens: [Token], bytes: UnsafeBufferPointer<UInt8>,
                      best: inout (end: Int, terminals: [Int32])?) {
        var last = next
        var hash = tokens[next].hash
        while true {
            if let child = nodes[node].children[hash] {
                let accepted = nodes[Int(child)].terminals.filter {
                    accepts($0, start: tokens[phraseStart].start, endToken: last, tokens: tokens, bytes: bytes)
                }
                if !accepted.isEmpty, last >= (best?.end ?? -1) {
                    if last == best?.end { best?.terminals.append(contentsOf: accepted) } else { best = (last, accepted) }
                }
                if last + 1 < tokens.count, !nodes[Int(child)].children.isEmpty {
                    walk(node: Int(child), next: last + 1, phraseStart: phraseStart, tokens: tokens, bytes: bytes, best: &best)
                }
            }
            guard tokens[last].hyphenNext, last + 1 < tokens.count else { return }
            last += 1
            hash = Tokenizer.continueHash(hash, bytes, tokens[last])
        }
    }

    /// A case-sensitive terminal accepts only the exact letters and digits it was written with.
    private func accepts(_ t: Int32, start: Int, endToken: Int, tokens: [Token], bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let exact = terminals[Int(t)].exact else { return true }
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
        out.reserveCapacity(bytes.count / 6)
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
        return out
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
