// Generated entries: a work's fields written in the clean style straight into UTF-8 bytes. Text that is
// ASCII (most titles, keys, names) is escaped, brace-protected and keyed byte by byte; text with
// other characters goes through the same rules character by character, and what that costs (LaTeX
// escapes of accented letters, whole author fields, family names for keys) is made once per distinct
// value and reused across the entries of a file.
import Foundation
import LitModel

extension BibTeXWriter {
    /// A generated entry for a work known from Atom (or merged sources), in the clean style:
    /// `@article` when a journal is known, else `@misc`, with the arXiv fields, month as a macro.
    public static func write(_ record: WorkRecord, key: String, options: Options = Options()) -> String {
        var generator = Generator()
        var out: [UInt8] = []
        generator.appendEntry(record, key: key, options: options, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Text for a braced value: LaTeX specials escaped outside math, braces balanced, non-ASCII as
    /// LaTeX unless `utf8`.
    public static func escape(_ text: String, utf8: Bool) -> String {
        var generator = Generator()
        var out: [UInt8] = []
        generator.appendEscaped(text, utf8: utf8, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Braces around words a style must not lower-case: acronyms and mixed case (`CLIP`, `LLaVA`,
    /// `BLIP-2`, `DINOv2`), at brace level 0 and outside math.
    public static func protectTitle(_ title: String) -> String {
        var title = title
        var out: [UInt8] = []
        title.withUTF8 { appendProtectedTitle($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `lin2025survey`: first author's family name, year, first significant title word; ASCII letters.
    public static func baseKey(for record: WorkRecord) -> String {
        var generator = Generator()
        return generator.baseKey(for: record)
    }

    /// Writes generated entries; keeps what distinct values cost to write, for the next entries.
    public struct Generator {
        /// Non-ASCII character → its bibtex escape.
        var characters: [Character: [UInt8]] = [:]
        /// Author → its field text, for names with non-ASCII characters (escaped, and kept as UTF-8).
        var escapedAuthors: [PersonName: [UInt8]] = [:]
        var utf8Authors: [PersonName: [UInt8]] = [:]
        /// Non-ASCII family name → its letters in a key.
        var families: [String: String] = [:]
        var values: [UInt8] = []
        var scratch: [UInt8] = []
        var fields: [(field: Field, range: Range<Int>)] = []

        public init() {}

        /// The fields of a generated entry, in the order written.
        enum Field {
            case title, author, key, journal, year, month, eprint, archivePrefix, primaryClass, doi, url, note

            var name: StaticString {
                switch self {
                case .title: return "title"
                case .author: return "author"
                case .key: return "key"
                case .journal: return "journal"
                case .year: return "year"
                case .month: return "month"
                case .eprint: return "eprint"
                case .archivePrefix: return "archivePrefix"
                case .primaryClass: return "primaryClass"
                case .doi: return "doi"
                case .url: return "url"
                case .note: return "note"
                }
            }
        }

        /// The entry for `record` under `key`, appended to `out` (ending in a newline). Returns where
        /// the key starts in `out`: an entry written with an empty key can get its key put in there
        /// later (`FileBuilder.appendGenerated(_:key:at:)`), when keys are made unique after the entries.
        @discardableResult
        public mutating func appendEntry(_ record: WorkRecord, key: String, options: Options, to out: inout [UInt8]) -> Int {
            // Field values go into one buffer first: a value that comes out empty is left out, and the
            // names are aligned to the longest name present.
            var values = self.values
            var fields = self.fields
            self.values = []
            self.fields = []
            values.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            var start = 0
            func begin() { start = values.count }
            func end(_ field: Field) { if values.count > start { fields.append((field, start..<values.count)) } }
            let utf8 = options.utf8
            if let title = record.title {
                var escaped = scratch
                scratch = []
                escaped.removeAll(keepingCapacity: true)
                appendEscaped(title, utf8: utf8, to: &escaped)
                begin()
                escaped.withUnsafeBufferPointer { BibTeXWriter.appendProtectedTitle($0, to: &values) }
                end(.title)
                scratch = escaped
            }
            if !record.authors.isEmpty {
                begin()
                for (n, author) in record.authors.enumerated() {
                    if n > 0 { values.append(contentsOf: " and ".utf8) }
                    appendAuthor(author, utf8: utf8, to: &values)
                }
                end(.author)
            } else if let title = record.title {
                // plain.bst sorts by author, else by `key`.
                begin()
                appendEscaped(String(title.prefix(40)), utf8: utf8, to: &values)
                end(.key)
            }
            let journal = record.venue ?? record.journalRef
            let isArticle = journal != nil && !record.authors.isEmpty && record.year != nil
            if isArticle, let journal {
                begin()
                appendEscaped(journal, utf8: utf8, to: &values)
                end(.journal)
            }
            if let year = record.year {
                begin()
                values.append(contentsOf: String(year).utf8)
                end(.year)
            }
            if let m = record.month, (1...12).contains(m) {
                begin()
                values.append(contentsOf: BibTeXWriter.months[m - 1].utf8.prefix(3))
                end(.month)
            }
            if let arxiv = record.arxiv {
                begin()
                values.append(contentsOf: arxiv.base.utf8)
                end(.eprint)
                begin()
                values.append(contentsOf: "arXiv".utf8)
                end(.archivePrefix)
                if let category = record.primaryCategory {
                    begin()
                    values.append(contentsOf: category.utf8)
                    end(.primaryClass)
                }
            }
            if let doi = record.doi {
                begin()
                values.append(contentsOf: doi.utf8)
                end(.doi)
            }
            begin()
            if let arxiv = record.arxiv {
                BibTeXWriter.appendURL("https://arxiv.org/abs/".utf8, to: &values)
                BibTeXWriter.appendURL(arxiv.base.utf8, to: &values)
            } else if let url = record.links["url"] ?? record.links["alternate"] {
                BibTeXWriter.appendURL(url.utf8, to: &values)
            }
            end(.url)
            if !isArticle, let journal {
                begin()
                appendEscaped(journal, utf8: utf8, to: &values)
                end(.note)
            }

            var width = 0
            for (field, _) in fields { width = max(width, field.name.utf8CodeUnitCount) }
            let useParens = key.utf8.contains(UInt8(ascii: "}"))
            out.append(UInt8(ascii: "@"))
            out.append(contentsOf: (isArticle ? "article" : "misc").utf8)
            out.append(UInt8(ascii: useParens ? "(" : "{"))
            let keyStart = out.count
            out.append(contentsOf: key.utf8)
            out.append(contentsOf: ",\n".utf8)
            for (field, range) in fields {
                let name = field.name
                out.append(contentsOf: "  ".utf8)
                out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
                for _ in 0..<(width - name.utf8CodeUnitCount) { out.append(UInt8(ascii: " ")) }
                out.append(contentsOf: " = ".utf8)
                if field == .month {
                    out.append(contentsOf: values[range])
                } else {
                    out.append(UInt8(ascii: "{"))
                    out.append(contentsOf: values[range])
                    out.append(UInt8(ascii: "}"))
                }
                out.append(contentsOf: ",\n".utf8)
            }
            out.append(contentsOf: (useParens ? ")\n" : "}\n").utf8)
            self.values = values
            self.fields = fields
            return keyStart
        }

        /// `Family, Given` with braces where bibtex would mis-split (`and` inside, commas).
        mutating func appendAuthor(_ name: PersonName, utf8: Bool, to out: inout [UInt8]) {
            let oneWord = name.family.isEmpty
            let family = oneWord ? name.display : name.family
            let given = oneWord ? "" : name.given
            if BibTeXWriter.isASCII(family), BibTeXWriter.isASCII(given) {
                appendAuthor(family: family, given: given, oneWord: oneWord, utf8: utf8, to: &out)
                return
            }
            if let known = utf8 ? utf8Authors[name] : escapedAuthors[name] {
                out.append(contentsOf: known)
                return
            }
            var field: [UInt8] = []
            appendAuthor(family: family, given: given, oneWord: oneWord, utf8: utf8, to: &field)
            if utf8 { utf8Authors[name] = field } else { escapedAuthors[name] = field }
            out.append(contentsOf: field)
        }

        /// The author field written in place: escaped, then braced when risky.
        private mutating func appendAuthor(family: String, given: String, oneWord: Bool, utf8: Bool, to out: inout [UInt8]) {
            func risky(_ s: ArraySlice<UInt8>) -> Bool { s.contains(UInt8(ascii: ",")) || BibTeXWriter.containsAndWord(s) }
            let start = out.count
            appendEscaped(family, utf8: utf8, to: &out)
            if risky(out[start...]) || (oneWord && out[start...].contains(UInt8(ascii: " "))) {
                out.insert(UInt8(ascii: "{"), at: start)
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: ", ".utf8)
            let givenStart = out.count
            appendEscaped(given, utf8: utf8, to: &out)
            if out.count == givenStart {
                out.removeLast(2)
            } else if risky(out[givenStart...]) {
                out.insert(UInt8(ascii: "{"), at: givenStart)
                out.append(UInt8(ascii: "}"))
            }
        }

        /// `text` escaped for a braced value (see `escape(_:utf8:)`), appended to `out`.
        mutating func appendEscaped(_ text: String, utf8: Bool, to out: inout [UInt8]) {
            var text = text
            let done = text.withUTF8 { bytes -> Bool in
                var needed = false
                var ascii = true
                for b in bytes {
                    if b >= 0x80 { ascii = false; if !utf8 { needed = true } } else if BibTeXWriter.escapeNeeded(b) { needed = true }
                }
                if !needed { out.append(contentsOf: bytes); return true }
                guard ascii else { return false }
                BibTeXWriter.appendEscapedASCII(bytes, to: &out)
                return true
            }
            if !done { appendEscapedCharacters(text, utf8: utf8, to: &out) }
        }

        /// `appendEscaped` character by character, for text that is not all ASCII.
        private mutating func appendEscapedCharacters(_ text: String, utf8: Bool, to out: inout [UInt8]) {
            var inMath = false
            var depth = 0
            var i = text.startIndex
            while i < text.endIndex {
                let ch = text[i]
                i = text.index(after: i)
                if ch == "\\" && i < text.endIndex {
                    // A command or escape as written: keep it, with the next character.
                    let next = text[i]
                    i = text.index(after: i)
                    if next == "{" { out.append(contentsOf: "\\textbraceleft{}".utf8) }
                    else if next == "}" { out.append(contentsOf: "\\textbraceright{}".utf8) }
                    else { out.append(UInt8(ascii: "\\")); out.append(contentsOf: next.utf8) }
                    continue
                }
                if ch == "$" { inMath.toggle(); out.append(UInt8(ascii: "$")); continue }
                if ch == "{" { depth += 1; out.append(UInt8(ascii: "{")); continue }
                if ch == "}" {
                    if depth == 0 { continue }   // an unmatched '}' would end the value
                    depth -= 1; out.append(UInt8(ascii: "}")); continue
                }
                if inMath { out.append(contentsOf: ch.utf8); continue }
                switch ch {
                case "&", "%", "#", "_": out.append(UInt8(ascii: "\\")); out.append(contentsOf: ch.utf8)
                case "\n", "\r", "\t": out.append(UInt8(ascii: " "))
                default:
                    if ch.isASCII || utf8 { out.append(contentsOf: ch.utf8) }
                    else if let known = characters[ch] { out.append(contentsOf: known) }
                    else {
                        let escaped: String
                        if let greek = greekLetters[ch] { escaped = "$\\\(greek)$" } else { escaped = LaTeX.encode(String(ch)) }
                        characters[ch] = Array(escaped.utf8)
                        out.append(contentsOf: escaped.utf8)
                    }
                }
            }
            if inMath { out.append(UInt8(ascii: "$")) }
            for _ in 0..<depth { out.append(UInt8(ascii: "}")) }
        }

        /// `lin2025survey`: first author's family name, year, first significant title word; ASCII letters.
        public mutating func baseKey(for record: WorkRecord) -> String {
            var key = scratch
            scratch = []
            key.removeAll(keepingCapacity: true)
            let first = record.authors.first
            let name = first.map { $0.family.isEmpty ? $0.display : $0.family } ?? ""
            if BibTeXWriter.isASCII(name) {
                // The last word (split at spaces and hyphens), its letters in lower case.
                let bytes = name.utf8
                var end = bytes.endIndex
                while end > bytes.startIndex, let b = Optional(bytes[bytes.index(before: end)]),
                      b == UInt8(ascii: " ") || b == UInt8(ascii: "-") { end = bytes.index(before: end) }
                var start = end
                while start > bytes.startIndex, let b = Optional(bytes[bytes.index(before: start)]),
                      b != UInt8(ascii: " ") && b != UInt8(ascii: "-") { start = bytes.index(before: start) }
                for b in bytes[start..<end] { if let lower = BibTeXWriter.lowerLetter(b) { key.append(lower) } }
            } else if let known = families[name] {
                key.append(contentsOf: known.utf8)
            } else {
                let words = name.split(whereSeparator: { $0 == " " || $0 == "-" })
                let family = words.last.map { BibTeXWriter.asciiLetters(String($0)) } ?? ""
                families[name] = family
                key.append(contentsOf: family.utf8)
            }
            if key.isEmpty { key.append(contentsOf: "anon".utf8) }
            if let year = record.year { key.append(contentsOf: String(year).utf8) }
            if let word = BibTeXWriter.titleWord(record.title ?? "") { key.append(contentsOf: word.utf8) }
            let text = String(decoding: key, as: UTF8.self)
            scratch = key
            return text
        }
    }

    /// The first title word that is not a stop word (else the first word), as lower-case ASCII letters.
    static func titleWord(_ title: String) -> String? {
        var firstWord: String? = nil
        // Text with no LaTeX in it (no commands, braces or math) decodes to itself up to
        // punctuation, which only separates words: split its bytes directly.
        if title.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "{")
                                   && $0 != UInt8(ascii: "}") && $0 != UInt8(ascii: "$") }) {
            var letters: [UInt8] = []
            var inWord = false
            func finish() -> String? {
                defer { letters.removeAll(keepingCapacity: true); inWord = false }
                guard inWord, !letters.isEmpty else { return nil }
                let word = String(decoding: letters, as: UTF8.self)
                if firstWord == nil { firstWord = word }
                return stopWords.contains(word) ? nil : word
            }
            for b in title.utf8 {
                let isLetter = (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
                if isLetter || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) {
                    inWord = true
                    if isLetter { letters.append(b | 0x20) }
                } else if let word = finish() {
                    return word
                }
            }
            return finish() ?? firstWord
        }
        for piece in LaTeX.decode(title).split(whereSeparator: { !isLetter($0) && !isNumber($0) }) {
            let letters = asciiLetters(String(piece))
            if letters.isEmpty { continue }
            if firstWord == nil { firstWord = letters }
            if !stopWords.contains(letters) { return letters }
        }
        return firstWord
    }

    @inline(__always)
    static func lowerLetter(_ b: UInt8) -> UInt8? {
        let lower = b | 0x20
        return b < 0x80 && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") ? lower : nil
    }

    static func isASCII(_ s: String) -> Bool {
        // Eight bytes at a time where the text is contiguous (native strings are).
        s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard let base = UnsafeRawPointer(bytes.baseAddress) else { return true }
            var i = 0
            var bits: UInt64 = 0
            while i + 8 <= bytes.count {
                bits |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < bytes.count {
                bits |= UInt64(bytes[i])
                i += 1
            }
            return bits & 0x8080_8080_8080_8080 == 0
        } ?? s.utf8.allSatisfy { $0 < 0x80 }
    }

    /// ASCII bytes `escape` changes or must track: `\ $ { } & % # _` and line breaks and tabs.
    @inline(__always)
    static func escapeNeeded(_ b: UInt8) -> Bool {
        // Bits for 0x00–0x3F and 0x40–0x7F.
        let low: UInt64 = 1 << 0x09 | 1 << 0x0A | 1 << 0x0D | 1 << 0x23 | 1 << 0x24 | 1 << 0x25 | 1 << 0x26
        let high: UInt64 = 1 << (0x5C - 0x40) | 1 << (0x5F - 0x40) | 1 << (0x7B - 0x40) | 1 << (0x7D - 0x40)
        if b < 0x40 { return low >> UInt64(b) & 1 == 1 }
        if b < 0x80 { return high >> UInt64(b - 0x40) & 1 == 1 }
        return false
    }

    /// `escape` of ASCII text, byte by byte (a CR LF pair counts as one character, as in Swift text).
    static func appendEscapedASCII(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var inMath = false
        var depth = 0
        var i = 0
        let n = text.count
        func crlf(_ k: Int) -> Bool { k + 1 < n && text[k] == 0x0D && text[k + 1] == 0x0A }
        while i < n {
            let c = text[i]
            if c == UInt8(ascii: "\\") && i + 1 < n {
                if crlf(i + 1) {
                    out.append(contentsOf: [0x5C, 0x0D, 0x0A])
                    i += 3
                    continue
                }
                let next = text[i + 1]
                i += 2
                if next == UInt8(ascii: "{") { out.append(contentsOf: "\\textbraceleft{}".utf8) }
                else if next == UInt8(ascii: "}") { out.append(contentsOf: "\\textbraceright{}".utf8) }
                else { out.append(0x5C); out.append(next) }
                continue
            }
            if crlf(i) {
                out.append(0x0D)
                out.append(0x0A)
                i += 2
                continue
            }
            i += 1
            switch c {
            case UInt8(ascii: "$"): inMath.toggle(); out.append(c)
            case UInt8(ascii: "{"): depth += 1; out.append(c)
            case UInt8(ascii: "}"): if depth > 0 { depth -= 1; out.append(c) }   // an unmatched '}' would end the value
            default:
                if inMath { out.append(c); continue }
                switch c {
                case UInt8(ascii: "&"), UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "_"): out.append(0x5C); out.append(c)
                case 0x0A, 0x0D, 0x09: out.append(UInt8(ascii: " "))
                default: out.append(c)
                }
            }
        }
        if inMath { out.append(UInt8(ascii: "$")) }
        for _ in 0..<depth { out.append(UInt8(ascii: "}")) }
    }

    /// A URL for a braced value: `{`, `}` and spaces percent-encoded.
    static func appendURL(_ url: String.UTF8View, to out: inout [UInt8]) {
        for byte in url {
            switch byte {
            case UInt8(ascii: "{"): out.append(contentsOf: "%7B".utf8)
            case UInt8(ascii: "}"): out.append(contentsOf: "%7D".utf8)
            case UInt8(ascii: " "): out.append(contentsOf: "%20".utf8)
            default: out.append(byte)
            }
        }
    }

    /// Whether `and` (any case) stands as a word between white space or the ends: bibtex would
    /// split a name list there.
    static func containsAndWord(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return containsAndWord(String(decoding: bytes, as: UTF8.self)) }
        func space(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var afterSpace = true
        let end = bytes.endIndex
        for i in bytes.indices {
            let b = bytes[i]
            if afterSpace, b | 0x20 == UInt8(ascii: "a"), i + 2 < end, bytes[i + 1] | 0x20 == UInt8(ascii: "n"),
               bytes[i + 2] | 0x20 == UInt8(ascii: "d"), i + 3 == end || space(bytes[i + 3]) {
                return true
            }
            afterSpace = space(b)
        }
        return false
    }

    static func containsAndWord(_ s: String) -> Bool {
        let scalars = s.unicodeScalars
        var i = scalars.startIndex
        var afterSpace = true
        while i != scalars.endIndex {
            let c = scalars[i]
            if afterSpace, c == "a" || c == "A" {
                var j = scalars.index(after: i)
                if j != scalars.endIndex, scalars[j] == "n" || scalars[j] == "N" {
                    j = scalars.index(after: j)
                    if j != scalars.endIndex, scalars[j] == "d" || scalars[j] == "D" {
                        j = scalars.index(after: j)
                        if j == scalars.endIndex || isWhitespace(scalars[j]) { return true }
                    }
                }
            }
            afterSpace = isWhitespace(c)
            i = scalars.index(after: i)
        }
        return false
    }

    /// `protectTitle` into bytes: byte by byte for ASCII titles, by character otherwise.
    static func appendProtectedTitle(_ title: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard title.allSatisfy({ $0 < 0x80 }) else {
            appendProtectedTitle(String(decoding: title, as: UTF8.self), to: &out)
            return
        }
        func letter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
        var wordStart = -1
        var depth = 0
        var inMath = false
        func flush(upTo end: Int) {
            guard wordStart >= 0 else { return }
            let word = UnsafeBufferPointer(rebasing: title[wordStart..<end])
            wordStart = -1
            // Per hyphen/slash segment: an acronym or a capital after the first letter (`Multi-Modal`
            // is title case, `BLIP-2` and `ViT-B/16` are not).
            var protect = false
            var letters = 0
            for b in word {
                if b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: ".") { letters = 0; continue }
                guard letter(b) else { continue }
                if letters > 0 && b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { protect = true; break }
                letters += 1
            }
            if protect && !word.contains(UInt8(ascii: "\\")) {
                out.append(UInt8(ascii: "{"))
                out.append(contentsOf: word)
                out.append(UInt8(ascii: "}"))
            } else {
                out.append(contentsOf: word)
            }
        }
        for i in 0..<title.count {
            let b = title[i]
            if depth == 0 && !inMath && (letter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-")
                                         || b == UInt8(ascii: "\\")
                                         || ((b == UInt8(ascii: ".") || b == UInt8(ascii: "/")) && wordStart >= 0)) {
                if wordStart < 0 { wordStart = i }
                continue
            }
            flush(upTo: i)
            if b == UInt8(ascii: "$") { inMath.toggle() }
            if b == UInt8(ascii: "{") { depth += 1 } else if b == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            out.append(b)
        }
        flush(upTo: title.count)
    }

    /// `protectTitle` character by character, for titles that are not all ASCII.
    static func appendProtectedTitle(_ title: String, to out: inout [UInt8]) {
        var wordStart: String.Index? = nil
        var depth = 0
        var inMath = false
        func flush(upTo end: String.Index) {
            guard let start = wordStart else { return }
            wordStart = nil
            let word = title[start..<end]
            var protect = false
            var letters = 0
            for ch in word {
                if ch == "-" || ch == "/" || ch == "." { letters = 0; continue }
                guard isLetter(ch) else { continue }
                if letters > 0 && isUppercase(ch) { protect = true; break }
                letters += 1
            }
            if protect && !word.utf8.contains(UInt8(ascii: "\\")) {
                out.append(UInt8(ascii: "{"))
                out.append(contentsOf: word.utf8)
                out.append(UInt8(ascii: "}"))
            } else {
                out.append(contentsOf: word.utf8)
            }
        }
        var i = title.startIndex
        while i < title.endIndex {
            let ch = title[i]
            let next = title.index(after: i)
            if depth == 0 && !inMath && (isLetter(ch) || isNumber(ch) || ch == "-" || ch == "\\"
                                         || ((ch == "." || ch == "/") && wordStart != nil)) {
                if wordStart == nil { wordStart = i }
                i = next
                continue
            }
            flush(upTo: i)
            if ch == "$" { inMath.toggle() }
            if ch == "{" { depth += 1 } else if ch == "}" { depth = max(0, depth - 1) }
            out.append(contentsOf: ch.utf8)
            i = next
        }
        flush(upTo: title.endIndex)
    }
}

extension BibTeXWriter.FileBuilder {
    /// A generated entry written with an empty key (braced: a generated key has no `}`), with `key`
    /// put in at `offset` bytes from the entry's start.
    public mutating func appendGenerated(_ entry: ArraySlice<UInt8>, key: String, at offset: Int) {
        let split = entry.startIndex + offset
        body.append(contentsOf: entry[..<split])
        body.append(contentsOf: key.utf8)
        body.append(contentsOf: entry[split...])
        body.append(BibTeXWriter.newline)
    }
}
