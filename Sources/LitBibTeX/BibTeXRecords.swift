// BibTeX entries → the format-neutral WorkRecord that entity resolution merges: arXiv ids from every
// place exporters put them (eprint + archivePrefix/eprinttype, `arXiv:ID` in journal, note or
// howpublished, arxiv.org URLs, 10.48550 DOIs), DOIs normalised, names split and decoded, year and
// month as numbers, the venue (never "arXiv preprint …" or CoRR), everything else kept as extra fields.
import Foundation
import LitModel

extension BibTeXEntry {
    /// The arXiv id the entry states, wherever an exporter put it.
    public var arxivID: ArxivID? {
        let archive = self["archiveprefix"] ?? self["eprinttype"]
        if let eprint = self["eprint"] {
            if archive.map({ Self.foldedEquals($0, "arxiv") }) ?? true || eprint.lowercased().hasPrefix("arxiv:") {
                if let id = Self.plainArxivID(eprint) ?? Self.generalArxivID(eprint) { return id }
            }
        }
        for name in Self.arxivPlaces {
            guard let value = self[name] else { continue }
            if name == "doi" {
                if let doi = Self.normaliseDOI(value), let id = Self.arxivInDOI(doi) { return id }
                continue
            }
            if let id = Self.arxivMention(in: value) { return id }
        }
        return nil
    }

    /// The fields `arxivID` looks for an arXiv id in after `eprint`, in order.
    static let arxivPlaces = ["doi", "url", "journal", "note", "howpublished", "booktitle", "pdf", "eprint"]

    /// `text.lowercased() == lower` for a lower-case ASCII `lower`, on the bytes when `text` is ASCII.
    static func foldedEquals(_ text: String, _ lower: StaticString) -> Bool {
        var text = text
        let l = UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
        let ascii = text.withUTF8 { b -> Bool? in
            for c in b where c >= 0x80 { return nil }
            return b.count == l.count && !zip(b, l).contains(where: { KeySet.fold($0) != $1 })
        }
        return ascii ?? (text.lowercased() == lower.description)
    }

    /// `text.lowercased().hasPrefix(lower)` for a lower-case ASCII `lower`, on the bytes when `text`
    /// is ASCII.
    static func foldedHasPrefix(_ text: String, _ lower: StaticString) -> Bool {
        var text = text
        let l = UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
        let ascii = text.withUTF8 { b -> Bool? in
            for c in b where c >= 0x80 { return nil }
            return b.count >= l.count && !zip(b, l).contains(where: { KeySet.fold($0) != $1 })
        }
        return ascii ?? text.lowercased().hasPrefix(lower.description)
    }

    /// `text.lowercased().contains(lower)` for a lower-case ASCII `lower`, on the bytes when `text`
    /// is ASCII.
    static func foldedContains(_ text: String, _ lower: StaticString) -> Bool {
        var text = text
        let l = UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
        let ascii = text.withUTF8 { b -> Bool? in
            for c in b where c >= 0x80 { return nil }
            guard b.count >= l.count else { return false }
            for start in 0...(b.count - l.count) where KeySet.fold(b[start]) == l[0] {
                var k = 1
                while k < l.count && KeySet.fold(b[start + k]) == l[k] { k += 1 }
                if k == l.count { return true }
            }
            return false
        }
        return ascii ?? text.lowercased().contains(lower.description)
    }

    /// `arXiv:2502.17516`, `arXiv preprint arXiv:2502.17516v2`, `arxiv.org/abs/…`, `10.48550/arXiv.…`,
    /// `arXiv hep-th/9901001`: the first "arxiv" followed by an identifier.
    static func arxivMention(in text: String) -> ArxivID? {
        guard Self.mayMentionArxiv(text) else { return nil }
        let u = Array(text.utf8)
        var i = 0
        while i + 5 <= u.count {
            defer { i += 1 }
            guard u[i] | 0x20 == 0x61, u[i + 1] | 0x20 == 0x72, u[i + 2] | 0x20 == 0x78, u[i + 3] | 0x20 == 0x69,
                  u[i + 4] | 0x20 == 0x76 else { continue }
            var j = i + 5
            // `arxiv.org/abs/`, `/pdf/`, `/html/`
            if j + 5 <= u.count, String(decoding: u[j..<(j + 5)], as: UTF8.self).lowercased() == ".org/" {
                j += 5
                for kind in ["abs/", "pdf/", "html/"] where j + kind.utf8.count <= u.count
                    && String(decoding: u[j..<(j + kind.utf8.count)], as: UTF8.self).lowercased() == kind {
                    j += kind.utf8.count
                    break
                }
            } else {
                while j < u.count && (u[j] == 0x3A || u[j] == 0x20 || u[j] == 0x2E || u[j] == 0x7E) { j += 1 }
            }
            var k = j
            while k < u.count, (u[k] >= 0x30 && u[k] <= 0x39) || (u[k] | 0x20 >= 0x61 && u[k] | 0x20 <= 0x7A)
                    || u[k] == 0x2E || u[k] == 0x2D || u[k] == 0x2F { k += 1 }
            var token = String(decoding: u[j..<k], as: UTF8.self)
            if token.lowercased().hasSuffix(".pdf") { token.removeLast(4) }
            while token.hasSuffix(".") || token.hasSuffix("/") { token.removeLast() }
            if !token.isEmpty, let id = Self.plainArxivID(token) ?? Self.generalArxivID(token) { return id }
        }
        return nil
    }

    /// `ArxivID(text)` for the plain new-style form alone (`2502.17516`, `1803.00031v2`), read on
    /// bytes; nil for anything else (`ArxivID` then decides).
    static func plainArxivID(_ text: String) -> ArxivID? {
        var text = text
        return text.withUTF8 { b -> ArxivID? in
            func digit(_ k: Int) -> Bool { b[k] >= 0x30 && b[k] <= 0x39 }
            guard b.count >= 9, digit(0), digit(1), digit(2), digit(3), b[4] == 0x2E else { return nil }
            var end = 5
            while end < b.count && digit(end) { end += 1 }
            guard end - 5 == 4 || end - 5 == 5 else { return nil }
            let month = Int(b[2] - 0x30) * 10 + Int(b[3] - 0x30)
            guard month >= 1 && month <= 12 else { return nil }
            var version: Int?
            if end < b.count {
                guard b[end] | 0x20 == 0x76, b.count - end - 1 >= 1, b.count - end - 1 <= 9 else { return nil }
                var v = 0
                for k in (end + 1)..<b.count {
                    guard digit(k) else { return nil }
                    v = v * 10 + Int(b[k] - 0x30)
                }
                version = v
            }
            return ArxivID(base: String(decoding: UnsafeBufferPointer(rebasing: b[0..<end]), as: UTF8.self), version: version)
        }
    }

    /// `ArxivID(text)`, skipped for text with fewer than seven ASCII digits, which holds no
    /// identifier (a new-style one has eight or nine, an old-style one seven).
    static func generalArxivID(_ text: String) -> ArxivID? {
        var digits = 0
        for c in text.utf8 where c >= 0x30 && c <= 0x39 {
            digits += 1
            if digits == 7 { return ArxivID(text) }
        }
        return nil
    }

    static func mayMentionArxiv(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count >= 5 else { return false }
        for i in 0...(u.count - 5) {
            let c = u[i] | 0x20
            if c == 0x61, u[i + 1] | 0x20 == 0x72, u[i + 2] | 0x20 == 0x78, u[i + 3] | 0x20 == 0x69,
               u[i + 4] | 0x20 == 0x76 { return true }   // "arxiv"
        }
        return false
    }

    /// The normalised DOI, from `doi` or a doi.org URL; an arXiv DOI counts as one.
    public var normalisedDOI: String? {
        if let doi = self["doi"], let n = Self.normaliseDOI(doi) { return n }
        if let url = self["url"], Self.foldedContains(url, "doi.org/"), let n = DOI.normalise(url) { return n }
        return nil
    }

    /// `DOI.normalise(text)`, done on the bytes when the text is ASCII (most DOIs).
    static func normaliseDOI(_ text: String) -> String? {
        var text = text
        let ascii: String?? = text.withUTF8 { b -> String?? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return .none }
            // White space and newlines, and white space alone, as CharacterSet has them in ASCII.
            func spaceOrNewline(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
            func space(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
            var start = 0, end = b.count
            while start < end && spaceOrNewline(b[start]) { start += 1 }
            while end > start && spaceOrNewline(b[end - 1]) { end -= 1 }
            for prefix in Self.doiPrefixes where end - start >= prefix.count {
                var same = true
                for k in 0..<prefix.count where KeySet.fold(b[start + k]) != prefix[k] { same = false; break }
                guard same else { continue }
                start += prefix.count
                while start < end && space(b[start]) { start += 1 }
                while end > start && space(b[end - 1]) { end -= 1 }
                break
            }
            while end > start && (b[end - 1] == 0x2E || b[end - 1] == 0x2C || b[end - 1] == 0x3B) { end -= 1 }
            guard end - start >= 3, b[start] == 0x31, b[start + 1] == 0x30, b[start + 2] == 0x2E,
                  b[start..<end].contains(0x2F) else { return .some(nil) }
            return .some(String(decoding: b[start..<end].map(KeySet.fold), as: UTF8.self))
        }
        return ascii ?? DOI.normalise(text)
    }

    /// The resolver prefixes `DOI.normalise` removes, lower case, in its order.
    static let doiPrefixes: [[UInt8]] = ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                                         "http://dx.doi.org/", "doi:", "doi "].map { Array($0.utf8) }

    /// `DOI.arxiv(doi)`, read on the bytes for the usual `10.48550/arxiv.YYMM.NNNNN`.
    static func arxivInDOI(_ doi: String) -> ArxivID? {
        if doi.hasPrefix("10.48550/arxiv."), let id = plainArxivID(String(doi.dropFirst(15))) { return id }
        return DOI.arxiv(doi)
    }

    /// The year as a number: `year`, else the start of `date`.
    public var yearNumber: Int? {
        for name in ["year", "date"] {
            guard let value = self[name] else { continue }
            switch Self.asciiYear(value) {
            case .year(let year): return year
            case .noYear: continue
            case .notASCII: break
            }
            let digits = value.unicodeScalars.drop(while: { !CharacterSet.decimalDigits.contains($0) })
                .prefix(while: { CharacterSet.decimalDigits.contains($0) })
            if digits.count == 4, let y = Int(String(String.UnicodeScalarView(digits))) { return y }
        }
        return nil
    }

    enum YearReading { case year(Int), noYear, notASCII }

    /// `yearNumber`'s reading of a value on its bytes: the first run of digits, a year when it has
    /// four; `notASCII` when characters beyond ASCII (other digits) could change the answer.
    static func asciiYear(_ value: String) -> YearReading {
        var value = value
        return value.withUTF8 { b -> YearReading in
            var i = 0
            while i < b.count && !(b[i] >= 0x30 && b[i] <= 0x39) {
                if b[i] >= 0x80 { return .notASCII }
                i += 1
            }
            var year = 0, digits = 0
            while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 {
                year = year &* 10 &+ Int(b[i] - 0x30)
                digits += 1
                i += 1
            }
            if i < b.count && b[i] >= 0x80 { return .notASCII }
            return digits == 4 ? .year(year) : .noYear
        }
    }

    /// The month as 1…12 from `month` (`jan`, `January`, `1`, `Feb.`) or `date` (`2024-03`).
    public var monthNumber: Int? {
        if let value = self["month"]?.lowercased().trimmed {
            if let n = Int(value), (1...12).contains(n) { return n }
            let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            let word = value.prefix(while: \.isLetter)
            if word.count >= 3, let i = names.firstIndex(of: String(word.prefix(3))) { return i + 1 }
        }
        if let date = self["date"], date.count >= 7 {
            let parts = date.split(separator: "-")
            if parts.count >= 2, let m = Int(parts[1]), (1...12).contains(m) { return m }
        }
        return nil
    }

    /// DBLP tells homonyms apart with a number after the name (`Qian Li 0004`): not part of the name.
    static func withoutHomonymNumbers(_ authors: String) -> String {
        // Most lists have no ASCII digit, and no other character that is a number: nothing to remove.
        var text = authors
        let (digit, ascii) = text.withUTF8 { b -> (Bool, Bool) in
            var ascii = true
            for c in b {
                if c >= 0x30 && c <= 0x39 { return (true, ascii) }
                if c >= 0x80 { ascii = false }
            }
            return (false, ascii)
        }
        if !digit {
            if ascii { return authors }
            guard authors.unicodeScalars.contains(where: { $0.value >= 0x80 && $0.properties.numericType != nil })
            else { return authors }
        }
        guard authors.contains(where: \.isNumber) else { return authors }
        let ns = authors as NSString
        return homonymNumber.stringByReplacingMatches(in: authors, options: [], range: NSRange(location: 0, length: ns.length),
                                                      withTemplate: "")
    }

    /// A homonym number: four digits after a name, before `and` or the end.
    static let homonymNumber: NSRegularExpression = {
        do { return try NSRegularExpression(pattern: #"(?<=\S)\s+\d{4}(?=\s+and\s|\s*$)"#) } catch {
            preconditionFailure("the homonym number pattern does not compile: \(error)")
        }
    }()

    /// The fields a venue is taken from, in order.
    static let venuePlaces = ["journal", "booktitle", "journaltitle", "howpublished"]

    /// Whether `workRecord` reads the field into the record's own members (the others go to `extra`).
    static func isRecordField(_ name: String) -> Bool {
        switch name {
        case "title", "abstract", "author", "year", "month", "primaryclass", "keywords", "url", "doi": true
        default: false
        }
    }

    /// Keywords split at `,` and `;`, each trimmed, empty ones dropped; on bytes for ASCII text.
    static func keywordList(_ text: String) -> [String] {
        var text = text
        let ascii = text.withUTF8 { b -> [String]? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            func space(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
            var out: [String] = []
            var start = 0
            for end in 0...b.count where end == b.count || b[end] == 0x2C || b[end] == 0x3B {
                var lo = start, hi = end
                while lo < hi && space(b[lo]) { lo += 1 }
                while hi > lo && space(b[hi - 1]) { hi -= 1 }
                if lo < hi { out.append(String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)) }
                start = end + 1
            }
            return out
        }
        return ascii ?? text.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    /// The record entity resolution works with.
    public func workRecord() -> WorkRecord {
        var r = WorkRecord(via: "bibtex", line: line)
        r.bibKey = key
        r.entryType = type
        r.arxiv = arxivID
        r.doi = normalisedDOI
        if r.arxiv != nil, let doi = r.doi, Self.arxivInDOI(doi) != nil {
            // An arXiv DOI is the arXiv identity, not a published version's DOI.
            r.doi = nil
        }
        r.title = self["title"].map(LaTeX.decode)
        r.abstract = self["abstract"].map(LaTeX.decode)
        if let authors = self["author"] {
            r.authors = BibTeXNames.persons(Self.withoutHomonymNumbers(authors))
        }
        r.year = yearNumber
        r.month = monthNumber
        r.primaryCategory = self["primaryclass"]
        if let keywords = self["keywords"] { r.keywords = Self.keywordList(LaTeX.decode(keywords)) }
        for name in Self.venuePlaces {
            guard let value = self[name] else { continue }
            let text = LaTeX.decode(value)
            if name == "howpublished" && !Self.foldedContains(text, "proceedings") { continue }
            if Self.arxivMention(in: text) != nil || Self.foldedEquals(text, "corr")
                || Self.foldedHasPrefix(text, "arxiv") { continue }
            r.venue = text
            break
        }
        if let url = self["url"] { r.links["url"] = url }
        r.extra.reserveCapacity(fields.count + 2)
        for field in fields where !Self.isRecordField(field.name) {
            r.extra[field.name] = field.value
        }
        return r
    }
}
