// Stage one of BibTeX reading: bytes → concrete syntax tree. Follows bibtex 0.99d's own scanner
// (what it skips, what ends a key or a name, where it reports errors) on raw bytes, never on
// Characters, so a 60 MB file parses in well under a second. Never traps on input: every problem is
// a BibTeXSyntaxError, and reading resumes at the next '@'.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses .bib bytes into a `BibTeXSyntaxTree`.
///
///     let tree = BibTeXParser.parse(BibTeXSource(path: "refs.bib", bytes: data))
///     let db = BibTeXDatabase(tree)
public enum BibTeXParser {
    public static func parse(_ source: BibTeXSource) -> BibTeXSyntaxTree {
        source.bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(b: buffer, tree: BibTeXSyntaxTree(source: source))
            let n = buffer.count
            scanner.tree.items.reserveCapacity(n / 200 + 4)
            scanner.tree.keyHashes.reserveCapacity(n / 200 + 4)
            scanner.tree.fields.reserveCapacity(n / 36 + 4)
            scanner.tree.parts.reserveCapacity(n / 36 + 4)
            scanner.run()
            return scanner.tree
        }
    }

    public static func parse(path: String, text: String) -> BibTeXSyntaxTree {
        parse(BibTeXSource(path: path, text: text))
    }
}

// Character classes, as bibtex's lex_class and id_class tables define them.
private let classWhite: UInt8 = 1
private let classIllegalID: UInt8 = 2
private let classDigit: UInt8 = 4

nonisolated(unsafe) private let charClassTable: UnsafePointer<UInt8> = {
    let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    t.initialize(repeating: 0, count: 256)
    for c in 0..<32 { t[c] |= classIllegalID }
    for c in [0x20, 0x09, 0x0A, 0x0D] { t[c] |= classWhite | classIllegalID }
    for c in Array("\"#%'(),={}".utf8) { t[Int(c)] |= classIllegalID }
    for c in Array("0123456789".utf8) { t[Int(c)] |= classDigit }
    return UnsafePointer(t)
}()

private let at: UInt8 = 0x40          // @
private let lbrace: UInt8 = 0x7B
private let rbrace: UInt8 = 0x7D
private let lparen: UInt8 = 0x28
private let rparen: UInt8 = 0x29
private let comma: UInt8 = 0x2C
private let equals: UInt8 = 0x3D
private let quote: UInt8 = 0x22
private let hash: UInt8 = 0x23

/// How an identifier scan ended (bibtex's scan_result).
private enum IdentifierEnd { case empty, white, specified, other }

private struct Failure: Error {}

private struct Scanner {
    let b: UnsafeBufferPointer<UInt8>
    var tree: BibTeXSyntaxTree
    var p = 0
    let n: Int
    let charClass = charClassTable
    /// The item being built.
    var item = BibTeXItem(kind: .junk, start: 0, end: 0)

    init(b: UnsafeBufferPointer<UInt8>, tree: BibTeXSyntaxTree) {
        self.b = b
        self.tree = tree
        self.n = b.count
    }

    /// The offset bibtex's line counter is at when it hits the end of the file.
    var eofOffset: Int {
        var e = n
        if e > 0 && b[e - 1] == 0x0A { e -= 1; if e > 0 && b[e - 1] == 0x0D { e -= 1 } }
        else if e > 0 && b[e - 1] == 0x0D { e -= 1 }
        return e
    }

    mutating func run() {
        var junkStart = 0
        while true {
            // Skip everything up to the next '@'.
            if p < n, let base = b.baseAddress, let found = memchr(base + p, Int32(at), n - p) {
                p = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            } else {
                p = n
            }
            if p > junkStart {
                tree.items.append(BibTeXItem(kind: .junk, start: Int32(junkStart), end: Int32(p)))
                tree.keyHashes.append(0)
            }
            if p >= n { break }
            let start = p
            item = BibTeXItem(kind: .junk, start: Int32(start), end: Int32(start))
            let fieldMark = tree.fields.count
            let partMark = tree.parts.count
            do {
                try parseItem()
                item.end = Int32(p)
            } catch {
                recover(from: start, fieldMark: fieldMark, partMark: partMark)
            }
            if item.kind == .junk {
                // An '@' that led nowhere (error before the type was known): keep it as junk.
                tree.items.append(BibTeXItem(kind: .junk, start: item.start, end: item.end, error: item.error))
            } else {
                tree.items.append(item)
            }
            // The key's hash while its bytes are at hand (the reader finds repeated keys by it).
            tree.keyHashes.append(item.kind == .entry && item.keyStart >= 0
                                  ? KeySet.foldedHash(b, Int(item.keyStart), Int(item.keyEnd)) : 0)
            junkStart = p
        }
    }

    /// After an error at `p`: resume at the first '@' opening a line inside the bad item (bibtex itself
    /// would resume at `p` and lose it), else at `p`. Parts of the item past the resume point are dropped.
    mutating func recover(from start: Int, fieldMark: Int, partMark: Int) {
        var resume = p
        var i = start + 1
        while i < n && b[i] != 0x0A && b[i] != 0x0D { i += 1 }
        var lineStart = true
        while i < p {
            let c = b[i]
            if c == 0x0A || c == 0x0D { lineStart = true }
            else if c == at && lineStart { resume = i; break }
            else if c != 0x20 && c != 0x09 { lineStart = false }
            i += 1
        }
        if resume < p {
            let limit = Int32(resume)
            // The error is past the next entry: a value ran on into it. Point at that value.
            if item.error >= 0 {
                for k in stride(from: tree.parts.count - 1, through: partMark, by: -1)
                where tree.parts[k].start < limit && tree.parts[k].end > limit {
                    tree.errors[Int(item.error)].pointAt = tree.parts[k].start
                    tree.errors[Int(item.error)].runsOn = true
                    break
                }
            }
            if item.keyEnd > limit { item.keyStart = -1; item.keyEnd = -1 }
            while tree.fields.count > fieldMark && tree.fields[tree.fields.count - 1].nameStart >= limit {
                tree.fields.removeLast()
            }
            while let last = tree.crossrefFields.last, Int(last) >= tree.fields.count { tree.crossrefFields.removeLast() }
            while tree.parts.count > partMark && tree.parts[tree.parts.count - 1].end > limit {
                tree.parts.removeLast()
            }
            if tree.fields.count > fieldMark {
                let last = tree.fields.count - 1
                let maxParts = Int32(tree.parts.count) - tree.fields[last].firstPart
                if tree.fields[last].partCount > maxParts {
                    tree.fields[last].partCount = max(0, maxParts)
                    tree.fields[last].isComplete = false
                }
            }
            item.fieldCount = Int32(tree.fields.count) - item.firstField
            if item.fieldCount < 0 { item.fieldCount = 0 }
            p = resume
        }
        item.end = Int32(p)
        item.close = -1
    }

    mutating func fail(_ kind: BibTeXSyntaxError.Kind, at offset: Int, pointAt: Int? = nil) -> Failure {
        item.error = Int32(tree.errors.count)
        tree.errors.append(BibTeXSyntaxError(kind: kind, offset: Int32(offset), pointAt: Int32(pointAt ?? offset)))
        return Failure()
    }

    /// bibtex's eat_bib_white_and_eof_check.
    @inline(__always)
    mutating func eatWhite(pointAt: Int? = nil) throws {
        while p < n && charClass[Int(b[p])] & classWhite != 0 { p += 1 }
        if p >= n { throw endOfFile(pointAt: pointAt) }
    }

    @inline(never)
    mutating func endOfFile(pointAt: Int?) -> Failure {
        fail(.illegalEndOfDatabase, at: eofOffset, pointAt: pointAt ?? Int(item.start))
    }

    /// bibtex's scan_identifier: legal identifier bytes, not starting with a digit.
    mutating func scanIdentifier(_ c1: UInt8, _ c2: UInt8, _ c3: UInt8) -> (Int, IdentifierEnd) {
        let start = p
        if p < n && charClass[Int(b[p])] & classDigit == 0 {
            while p < n && charClass[Int(b[p])] & classIllegalID == 0 { p += 1 }
        }
        if p == start { return (start, .empty) }
        if p >= n || charClass[Int(b[p])] & classWhite != 0 { return (start, .white) }
        let c = b[p]
        if c == c1 || c == c2 || c == c3 { return (start, .specified) }
        return (start, .other)
    }

    mutating func checkIdentifier(_ end: IdentifierEnd, _ what: String) throws {
        switch end {
        case .white, .specified: return
        case .empty: throw fail(.missing(what), at: p)
        case .other: throw fail(.followedBy(b[p], what), at: p)
        }
    }

    func matches(_ start: Int, _ end: Int, _ word: StaticString) -> Bool {
        guard end - start == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<(end - start) where b[start + i] | 0x20 != w[i] { return false }
        return true
    }

    mutating func parseItem() throws {
        p += 1
        try eatWhite()
        let (typeStart, typeEnd) = scanIdentifier(lbrace, lparen, lparen)
        try checkIdentifier(typeEnd, "an entry type")
        item.typeStart = Int32(typeStart)
        item.typeEnd = Int32(p)
        if matches(typeStart, p, "comment") {
            item.kind = .comment
            return
        }
        let isPreamble = matches(typeStart, p, "preamble")
        let isString = !isPreamble && matches(typeStart, p, "string")
        item.kind = isPreamble ? .preamble : isString ? .string : .entry
        try eatWhite()
        let close: UInt8
        if b[p] == lbrace { close = rbrace } else if b[p] == lparen { close = rparen } else {
            throw fail(.expectedOpening, at: p)
        }
        item.open = Int32(p)
        p += 1
        try eatWhite()
        item.firstField = Int32(tree.fields.count)
        if isPreamble {
            try parseValue(nameStart: p, nameEnd: p, close: close)
            if b[p] != close { throw fail(.missingClose(close, "preamble"), at: p) }
        } else if isString {
            let (nameStart, end) = scanIdentifier(equals, equals, equals)
            try checkIdentifier(end, "a string name")
            let nameEnd = p
            try eatWhite()
            if b[p] != equals { throw fail(.expectedEquals, at: p) }
            p += 1
            try eatWhite()
            try parseValue(nameStart: nameStart, nameEnd: nameEnd, close: close)
            if b[p] != close { throw fail(.missingClose(close, "string"), at: p) }
        } else {
            try parseEntryBody(close: close)
        }
        item.close = Int32(p)
        p += 1
    }

    mutating func parseEntryBody(close: UInt8) throws {
        // The key: up to a comma or white space (and, with braces, a '}').
        let keyStart = p
        if close == rparen {
            while p < n && b[p] != comma && charClass[Int(b[p])] & classWhite == 0 { p += 1 }
        } else {
            while p < n && b[p] != comma && b[p] != rbrace && charClass[Int(b[p])] & classWhite == 0 { p += 1 }
        }
        item.keyStart = Int32(keyStart)
        item.keyEnd = Int32(p)
        try eatWhite()
        while b[p] != close {
            if b[p] != comma { throw fail(.expectedCommaOrClose(close), at: p) }
            p += 1
            try eatWhite()
            if b[p] == close { break }
            let (nameStart, end) = scanIdentifier(equals, equals, equals)
            try checkIdentifier(end, "a field name")
            let nameEnd = p
            if nameEnd - nameStart == 8 && NameInterner.fold(b, nameStart, nameEnd) == NameInterner.crossref {
                tree.crossrefFields.append(Int32(tree.fields.count))
            }
            try eatWhite()
            if b[p] != equals { throw fail(.expectedEquals, at: p) }
            p += 1
            try eatWhite()
            try parseValue(nameStart: nameStart, nameEnd: nameEnd, close: close)
        }
    }

    /// bibtex's scan_and_store_the_field_value_and_eat_white: part ('#' part)*, then white space.
    mutating func parseValue(nameStart: Int, nameEnd: Int, close: UInt8) throws {
        let fieldIndex = tree.fields.count
        let firstPart = tree.parts.count
        tree.fields.append(BibTeXFieldSyntax(nameStart: Int32(nameStart), nameEnd: Int32(nameEnd),
                                             firstPart: Int32(firstPart), partCount: 0, isComplete: false))
        item.fieldCount += 1
        var complete = false
        // The field is written once, when its value ends (or an error cuts it short).
        defer {
            tree.fields[fieldIndex] = BibTeXFieldSyntax(nameStart: Int32(nameStart), nameEnd: Int32(nameEnd),
                                                        firstPart: Int32(firstPart),
                                                        partCount: Int32(tree.parts.count - firstPart),
                                                        isComplete: complete)
        }
        try parsePart(close: close)
        while b[p] == hash {
            p += 1
            try eatWhite()
            try parsePart(close: close)
        }
        complete = true
    }

    mutating func parsePart(close: UInt8) throws {
        let start = p
        let c = b[p]
        let kind: BibTeXValuePart.Kind
        if c == lbrace || c == quote {
            kind = c == lbrace ? .braced : .quoted
            try scanBalanced(delimiter: c == lbrace ? rbrace : quote)
        } else if charClass[Int(c)] & classDigit != 0 {
            kind = .number
            while p < n && charClass[Int(b[p])] & classDigit != 0 { p += 1 }
        } else {
            kind = .macro
            let (_, end) = scanIdentifier(comma, close, hash)
            try checkIdentifier(end, "a field part")
        }
        tree.parts.append(BibTeXValuePart(kind: kind, start: Int32(start), end: Int32(p)))
        try eatWhite()
    }

    /// A braced or quoted token; only braces nest, and a quoted token must be brace-balanced.
    mutating func scanBalanced(delimiter: UInt8) throws {
        let openOffset = p
        var q = p + 1
        var depth = 0
        let raw = UnsafeRawPointer(b.baseAddress!)
        let open = SIMD16<UInt8>(repeating: lbrace), shut = SIMD16<UInt8>(repeating: rbrace)
        let delim = SIMD16<UInt8>(repeating: delimiter)
        while q < n {
            // Sixteen bytes at a time to the next brace or delimiter.
            while q + 16 <= n {
                let v = raw.loadUnaligned(fromByteOffset: q, as: SIMD16<UInt8>.self)
                let hit = unsafeBitCast((v .== open) .| (v .== shut) .| (v .== delim), to: SIMD2<UInt64>.self)
                if hit[0] != 0 { q += hit[0].trailingZeroBitCount >> 3; break }
                if hit[1] != 0 { q += 8 + hit[1].trailingZeroBitCount >> 3; break }
                q += 16
            }
            if q >= n { break }
            let c = b[q]
            if depth == 0 {
                if c == delimiter { p = q + 1; return }
                if c == lbrace { depth = 1 } else if c == rbrace { p = q; throw fail(.unbalancedBraces, at: p) }
            } else if c == lbrace {
                depth += 1
            } else if c == rbrace {
                depth -= 1
            }
            q += 1
        }
        p = n
        throw fail(.illegalEndOfDatabase, at: eofOffset, pointAt: openOffset)
    }
}
