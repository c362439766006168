// Name lists as bibtex splits them: names separated by `and` at brace level 0, each name cut into
// tokens at white space, `~` and `-` (braces protect), then into First, von, Last and Jr by bibtex's
// three forms (`First von Last`, `von Last, First`, `von Last, Jr, First`) and its rule for `von`
// (a token whose first letter, looking into `{\…}` special characters, is lower case).
import LitModel

/// One name, split into bibtex's four parts. Each part is a list of raw (LaTeX) tokens.
public struct BibTeXName: Sendable, Hashable {
    public var first: [String]
    public var von: [String]
    public var last: [String]
    public var jr: [String]

    /// Each part as written (LaTeX), tokens joined by a space or the hyphen that joined them.
    public internal(set) var rawFirst = "", rawVon = "", rawLast = "", rawJr = ""

    /// `Last` with `von`: the family name as a citation shows it (`van der Berg`).
    public var familyRaw: String {
        if rawVon.isEmpty { return rawLast }
        return rawLast.isEmpty ? rawVon : rawVon + " " + rawLast
    }

    /// `First von Last, Jr` in raw LaTeX.
    public var displayRaw: String {
        var s = ""
        s.reserveCapacity(rawFirst.utf8.count + rawVon.utf8.count + rawLast.utf8.count + rawJr.utf8.count + 4)
        for part in [rawFirst, rawVon, rawLast] where !part.isEmpty {
            if !s.isEmpty { s += " " }
            s += part
        }
        if !rawJr.isEmpty { s += ", " + rawJr }
        return s
    }

    /// The model's view: display, family (von + Last) and given (First) decoded to Unicode.
    public var personName: PersonName {
        PersonName(display: LaTeX.decode(displayRaw), family: LaTeX.decode(familyRaw),
                   given: LaTeX.decode(rawFirst))
    }

    /// The Last part alone, decoded (for matching, without particles).
    public var lastName: String { LaTeX.decode(rawLast) }
}

/// A split name list: the names, and whether it ended in `and others`.
public struct BibTeXNameList: Sendable, Hashable {
    public var names: [BibTeXName]
    public var andOthers: Bool
}

public enum BibTeXNames {
    /// Splits an author or editor field (raw, after macro expansion) as bibtex does.
    ///
    ///     BibTeXNames.split("van der Berg, Jan and Smith, Jr., John and others")
    public static func split(_ value: String) -> BibTeXNameList {
        var names: [BibTeXName] = []
        var andOthers = false
        let parts = splitAnd(Array(value.utf8))
        for (k, part) in parts.enumerated() {
            if k == parts.count - 1, k > 0, isOthers(part) {
                andOthers = true
                continue
            }
            let name = splitName(part)
            if !(name.first.isEmpty && name.von.isEmpty && name.last.isEmpty && name.jr.isEmpty) {
                names.append(name)
            }
        }
        return BibTeXNameList(names: names, andOthers: andOthers)
    }

    static func isWhite(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// Cuts at ` and ` (any case, white space on both sides, brace level 0).
    static func splitAnd(_ b: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var depth = 0
        var start = 0
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x7B { depth += 1 } else if c == 0x7D { if depth > 0 { depth -= 1 } }
            else if depth == 0 && isWhite(c) && i + 4 < b.count
                        && b[i + 1] | 0x20 == 0x61 && b[i + 2] | 0x20 == 0x6E && b[i + 3] | 0x20 == 0x64
                        && isWhite(b[i + 4]) {
                out.append(b[start..<i])
                i += 4
                start = i
                continue
            }
            i += 1
        }
        out.append(b[start..<b.count])
        return out
    }

    /// bibtex's von test on one token: the first letter at brace level 0 (or inside a `{\…}`
    /// special character) is lower case.
    static func isVon(_ t: ArraySlice<UInt8>) -> Bool {
        var i = t.startIndex
        let end = t.endIndex
        func letter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        while i < end {
            let c = t[i]
            if c >= 0x41 && c <= 0x5A { return false }
            if c >= 0x61 && c <= 0x7A { return true }
            if c == 0x7B {
                i += 1
                if i + 1 < end && t[i] == 0x5C {
                    // A special character: a known foreign letter decides, else its first letter.
                    i += 1
                    let start = i
                    while i < end && letter(t[i]) { i += 1 }
                    switch t[start..<i] {
                    case [0x4F, 0x45], [0x41, 0x45], [0x41, 0x41], [0x4F], [0x4C]: return false      // OE AE AA O L
                    case [0x69], [0x6A], [0x6F, 0x65], [0x61, 0x65], [0x61, 0x61], [0x6F], [0x6C], [0x73, 0x73]:
                        return true                                                              // i j oe ae aa o l ss
                    default: break
                    }
                    var depth = 1
                    while i < end && depth > 0 {
                        let d = t[i]
                        if d >= 0x41 && d <= 0x5A { return false }
                        if d >= 0x61 && d <= 0x7A { return true }
                        if d == 0x7D { depth -= 1 } else if d == 0x7B { depth += 1 }
                        i += 1
                    }
                    return false
                }
                // A plain group hides its letters: skip to its end.
                var depth = 1
                while i < end && depth > 0 {
                    if t[i] == 0x7B { depth += 1 } else if t[i] == 0x7D { depth -= 1 }
                    i += 1
                }
                continue
            }
            i += 1
        }
        return false
    }

    /// A name cut into tokens, and the tokens each part holds: token k is `b[tokens[k]]`, followed
    /// by the separator `seps[k]` (0 when none: a comma or the end; else space, `~` or `-`).
    struct Layout {
        var b: ArraySlice<UInt8>
        var tokens: [Range<Int>] = []
        var seps: [UInt8] = []
        var first = 0..<0, von = 0..<0, last = 0..<0, jr = 0..<0

        /// The part's tokens joined by a space, or by the hyphen that joined them.
        func raw(_ r: Range<Int>) -> String {
            guard let first = r.first else { return "" }
            if r.count == 1 { return String(decoding: b[tokens[first]], as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(tokens[r.last!].upperBound - tokens[first].lowerBound)
            appendRaw(r, to: &out)
            return String(decoding: out, as: UTF8.self)
        }

        func appendRaw(_ r: Range<Int>, to out: inout [UInt8]) {
            for k in r {
                out.append(contentsOf: b[tokens[k]])
                if k < r.upperBound - 1 { out.append(seps[k] == 0x2D ? 0x2D : 0x20) }
            }
        }

        /// `BibTeXName.displayRaw`: `First von Last, Jr`.
        func displayRaw() -> String {
            var out: [UInt8] = []
            out.reserveCapacity(b.count + 2)
            for r in [first, von, last] where !r.isEmpty {
                if !out.isEmpty { out.append(0x20) }
                appendRaw(r, to: &out)
            }
            if !jr.isEmpty {
                out.append(0x2C)
                out.append(0x20)
                appendRaw(jr, to: &out)
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func layout(_ part: ArraySlice<UInt8>) -> Layout {
        // Trailing white space and commas go (bibtex warns about the commas).
        var stop = part.endIndex
        while stop > part.startIndex, isWhite(part[stop - 1]) || part[stop - 1] == 0x2C { stop -= 1 }
        let b = part[part.startIndex..<stop]
        // Tokens are runs of the name's bytes: token k is b[tokens[k]], followed by the separator
        // seps[k] (0 when none: a comma or the end; else space, `~` or `-`).
        var tokens: [Range<Int>] = []
        var seps: [UInt8] = []
        var commas: [Int] = []            // token counts at each comma (at most two)
        tokens.reserveCapacity(8)
        seps.reserveCapacity(8)
        var starting = true
        var depth = 0
        var tokenStart = -1               // start of the token being read, -1 when none
        var i = b.startIndex
        func finish(_ end: Int) {
            if tokenStart >= 0 { tokens.append(tokenStart..<end); seps.append(0); tokenStart = -1 }
        }
        while i < b.endIndex {
            let c = b[i]
            defer { i += 1 }
            if depth > 0 {
                if c == 0x7B { depth += 1 } else if c == 0x7D { depth -= 1 }
                continue
            }
            switch c {
            case 0x2C: // ,
                finish(i)
                if commas.count < 2 { commas.append(tokens.count) }
                starting = true
            case 0x7B:
                depth = 1
                if tokenStart < 0 { tokenStart = i }
                starting = false
            case 0x20, 0x09, 0x0A, 0x0D, 0x7E, 0x2D:
                if !starting {
                    finish(i)
                    seps[seps.count - 1] = c == 0x2D || c == 0x7E ? c : 0x20
                }
                starting = true
            default:
                if tokenStart < 0 { tokenStart = i }
                starting = false
            }
        }
        finish(b.endIndex)
        let n = tokens.count
        var firstRange = 0..<0, vonRange = 0..<0, lastRange = 0..<0, jrRange = 0..<0

        func vonEnd(from vonStart: Int, lastEnd: Int) -> Int {
            var end = lastEnd - 1
            while end > vonStart {
                if isVon(b[tokens[end - 1]]) { return end }
                end -= 1
            }
            return end
        }

        switch commas.count {
        case 0:
            let lastEnd = n
            var vonStart = 0
            var found = false
            var vEnd = 0
            while vonStart < lastEnd - 1 {
                if isVon(b[tokens[vonStart]]) {
                    vEnd = vonEnd(from: vonStart, lastEnd: lastEnd)
                    found = true
                    break
                }
                vonStart += 1
            }
            if !found {
                // No von: a hyphen before the last token pulls the tokens it joins into Last.
                while vonStart > 0 && seps[vonStart - 1] == 0x2D { vonStart -= 1 }
                vEnd = vonStart
            }
            firstRange = 0..<vonStart
            vonRange = vonStart..<vEnd
            lastRange = vEnd..<lastEnd
        default:
            let lastEnd = commas[0]
            let jrEnd = commas.count == 2 ? commas[1] : lastEnd
            let vEnd = lastEnd > 0 ? vonEnd(from: 0, lastEnd: lastEnd) : 0
            vonRange = 0..<vEnd
            lastRange = vEnd..<lastEnd
            jrRange = lastEnd..<jrEnd
            firstRange = jrEnd..<n
        }
        var layout = Layout(b: b, tokens: tokens, seps: seps)
        layout.first = firstRange
        layout.von = vonRange
        layout.last = lastRange
        layout.jr = jrRange
        return layout
    }

    static func splitName(_ part: ArraySlice<UInt8>) -> BibTeXName {
        let l = layout(part)
        func text(_ r: Range<Int>) -> [String] { r.map { String(decoding: l.b[l.tokens[$0]], as: UTF8.self) } }
        var name = BibTeXName(first: text(l.first), von: text(l.von), last: text(l.last), jr: text(l.jr))
        name.rawFirst = l.raw(l.first)
        name.rawVon = l.raw(l.von)
        name.rawLast = l.raw(l.last)
        name.rawJr = l.raw(l.jr)
        return name
    }

    /// `split(value).names.map(\.personName)` without the token lists.
    static func persons(_ value: String) -> [PersonName] {
        let parts = splitAnd(Array(value.utf8))
        var persons: [PersonName] = []
        persons.reserveCapacity(parts.count)
        for (k, part) in parts.enumerated() {
            if k == parts.count - 1, k > 0, isOthers(part) { continue }
            let l = layout(part)
            guard !l.tokens.isEmpty else { continue }
            let rawFirst = l.raw(l.first), rawVon = l.raw(l.von), rawLast = l.raw(l.last)
            let familyRaw = rawVon.isEmpty ? rawLast : rawLast.isEmpty ? rawVon : rawVon + " " + rawLast
            persons.append(PersonName(display: LaTeX.decode(l.displayRaw()), family: LaTeX.decode(familyRaw),
                                      given: LaTeX.decode(rawFirst)))
        }
        return persons
    }

    /// Whether a name is `others` (white space around it aside), which ends a list.
    static func isOthers(_ part: ArraySlice<UInt8>) -> Bool {
        func space(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        var lo = part.startIndex, hi = part.endIndex
        while lo < hi, space(part[lo]) { lo += 1 }
        while hi > lo, space(part[hi - 1]) { hi -= 1 }
        // White space or marks beyond ASCII at either end: the characters decide.
        if lo < hi && (part[lo] >= 0x80 || part[hi - 1] >= 0x80) {
            return String(decoding: part, as: UTF8.self).trimmed == "others"
        }
        return part[lo..<hi].elementsEqual("others".utf8)
    }
}

extension String {
    var trimmed: String {
        // Nothing to trim when both ends are ASCII characters other than white space (a cluster
        // ending in an ASCII byte other than a line break is that character alone or a letter with marks).
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return self
        }
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
