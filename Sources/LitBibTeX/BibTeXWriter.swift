// BibTeX out. Two ways: entries that came from a .bib and were not changed are written as the bytes
// they were (with the @string definitions they need, once each, first); everything else is generated
// in one clean style that bibtex and biber accept: aligned `name = {value}` fields, titles with
// capitals and acronyms brace-protected, non-ASCII as LaTeX (or kept as UTF-8 for biber), month
// macros, and keys like `lin2025survey`, unique and stable.
import Foundation
import LitModel

public enum BibTeXWriter {
    public struct Options: Sendable {
        /// Keep non-ASCII text as UTF-8 (for biber) instead of LaTeX escapes (for bibtex).
        public var utf8: Bool
        public init(utf8: Bool = false) { self.utf8 = utf8 }
    }

    /// One entry written as it came: its exact text and the @string definitions (name, text) it needs,
    /// dependencies first.
    public struct Verbatim: Sendable {
        public var text: String
        public var strings: [(name: String, text: String)]
        public init(text: String, strings: [(name: String, text: String)]) {
            self.text = text
            self.strings = strings
        }
    }

    /// A .bib file: the @strings the verbatim entries need, then the entries in the order given.
    public static func file(_ items: [Either], preamble: String? = nil) -> String {
        var out = ""
        var defined = Set<String>()
        var strings = ""
        for case .verbatim(let v) in items {
            for (name, text) in v.strings where defined.insert(name).inserted { strings += text + "\n" }
        }
        if let preamble, !preamble.isEmpty { out += "@preamble{\(preamble)}\n\n" }
        if !strings.isEmpty { out += strings + "\n" }
        for item in items {
            switch item {
            case .verbatim(let v): out += v.text + "\n\n"
            case .generated(let text): out += text + "\n"
            }
        }
        return out
    }

    public enum Either: Sendable {
        case verbatim(Verbatim)
        case generated(String)
    }

    /// An entry in the clean style from field values (raw LaTeX, as a BibTeXEntry holds them).
    ///
    ///     @misc{lin2025survey,
    ///       title         = {A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models},
    ///       …
    ///     }
    /// With `monthMacros`, a month value naming a month (`February`, `feb`, `2`) is written as the
    /// macro (`feb`), as generated entries are; otherwise every value is written braced, as it was.
    public static func write(_ entry: BibTeXEntry, monthMacros: Bool = false) -> String {
        let width = entry.fields.map { displayName($0.name).count }.max() ?? 0
        let useParens = entry.key.contains("}")
        var out = "@\(entry.type)\(useParens ? "(" : "{")\(entry.key),\n"
        for field in entry.fields {
            let name = displayName(field.name)
            let pad = String(repeating: " ", count: max(0, width - name.count))
            let value: String
            if monthMacros, field.name == "month", let macro = monthMacro(field.value) {
                value = macro
            } else {
                value = "{\(field.value)}"
            }
            out += "  \(name)\(pad) = \(value),\n"
        }
        out += useParens ? ")\n" : "}\n"
        return out
    }

    /// Field names as people write them (`archivePrefix`, `primaryClass`), others lower case.
    static func displayName(_ name: String) -> String {
        switch name {
        case "archiveprefix": return "archivePrefix"
        case "primaryclass": return "primaryClass"
        default: return name
        }
    }

    static let months = ["january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december"]

    /// `February` or `2` → `feb`; nil for anything else (then written as a braced value).
    static func monthMacro(_ value: String) -> String? {
        let v = value.lowercased().trimmingCharacters(in: .whitespaces)
        if let n = Int(v), (1...12).contains(n) { return String(months[n - 1].prefix(3)) }
        if let i = months.firstIndex(of: v) { return String(months[i].prefix(3)) }
        if v.count == 3, months.contains(where: { $0.hasPrefix(v) }) { return v }
        return nil
    }

    /// A generated entry, written in the clean style (month as a macro).
    public static func write(_ record: WorkRecord, key: String, options: Options = Options()) -> String {
        write(entry(for: record, key: key, options: options), monthMacros: true)
    }

    /// A generated entry for a work known from Atom (or merged sources): `@article` when a journal is
    /// known, else `@misc`, with the arXiv fields.
    public static func entry(for record: WorkRecord, key: String, options: Options = Options()) -> BibTeXEntry {
        var fields: [(name: String, value: String)] = []
        func add(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { fields.append((name, value)) }
        }
        let text: (String) -> String = { escape($0, utf8: options.utf8) }
        add("title", record.title.map { protectTitle(text($0)) })
        if !record.authors.isEmpty {
            add("author", record.authors.map { authorField($0, options: options) }.joined(separator: " and "))
        } else if let title = record.title {
            // plain.bst sorts by author, else by `key`.
            add("key", text(String(title.prefix(40))))
        }
        let journal = record.venue ?? record.journalRef
        let isArticle = journal != nil && !record.authors.isEmpty && record.year != nil
        if isArticle { add("journal", journal.map(text)) }
        add("year", record.year.map(String.init))
        if let m = record.month, (1...12).contains(m) { add("month", String(months[m - 1].prefix(3))) }
        if let arxiv = record.arxiv {
            add("eprint", arxiv.base)
            add("archiveprefix", "arXiv")
            add("primaryclass", record.primaryCategory)
        }
        add("doi", record.doi)
        let url = record.arxiv.map { "https://arxiv.org/abs/\($0.base)" } ?? record.links["url"] ?? record.links["alternate"]
        add("url", url.map(urlEscape))
        if !isArticle, let journal { add("note", text(journal)) }
        return BibTeXEntry(type: isArticle ? "article" : "misc", key: key, fields: fields)
    }

    /// `Family, Given` with braces where bibtex would mis-split (`and` inside, commas).
    static func authorField(_ name: PersonName, options: Options) -> String {
        let text: (String) -> String = { escape($0, utf8: options.utf8) }
        var family = name.family.isEmpty ? name.display : name.family
        var given = name.family.isEmpty ? "" : name.given
        family = text(family)
        given = text(given)
        func risky(_ s: String) -> Bool {
            s.contains(",") || s.range(of: #"(?i)(^|\s)and(\s|$)"#, options: .regularExpression) != nil
        }
        if risky(family) || (name.family.isEmpty && family.contains(" ")) { family = "{\(family)}" }
        if risky(given) { given = "{\(given)}" }
        return given.isEmpty ? family : "\(family), \(given)"
    }

    /// Text for a braced value: LaTeX specials escaped outside math, braces balanced, non-ASCII as
    /// LaTeX unless `utf8`.
    public static func escape(_ text: String, utf8: Bool) -> String {
        var out = ""
        var inMath = false
        var depth = 0
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            defer { i += 1 }
            if ch == "\\" && i + 1 < chars.count {
                // A command or escape as written: keep it, with the next character.
                out.append(ch)
                out.append(chars[i + 1])
                if chars[i + 1] == "{" || chars[i + 1] == "}" { out.removeLast(2); out += chars[i + 1] == "{" ? "\\textbraceleft{}" : "\\textbraceright{}" }
                i += 1
                continue
            }
            if ch == "$" { inMath.toggle(); out.append(ch); continue }
            if ch == "{" { depth += 1; out.append(ch); continue }
            if ch == "}" {
                if depth == 0 { continue }   // an unmatched '}' would end the value
                depth -= 1; out.append(ch); continue
            }
            if inMath { out.append(ch); continue }
            switch ch {
            case "&", "%", "#", "_": out += "\\" + String(ch)
            case "\n", "\r", "\t": out += " "
            default:
                if ch.isASCII || utf8 { out.append(ch) }
                else if let greek = greekLetters[ch] { out += "$\\\(greek)$" }
                else { out += LaTeX.encode(String(ch)) }
            }
        }
        if inMath { out.append("$") }
        if depth > 0 { out += String(repeating: "}", count: depth) }
        return out
    }

    static let greekLetters: [Character: String] = [
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
        "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
        "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi",
        "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi",
        "Π": "Pi", "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    ]

    static func urlEscape(_ url: String) -> String {
        url.replacingOccurrences(of: "{", with: "%7B").replacingOccurrences(of: "}", with: "%7D")
            .replacingOccurrences(of: " ", with: "%20")
    }

    /// Braces around words a style must not lower-case: acronyms and mixed case (`CLIP`, `LLaVA`,
    /// `BLIP-2`, `DINOv2`), at brace level 0 and outside math.
    public static func protectTitle(_ title: String) -> String {
        var out = ""
        var word = ""
        var depth = 0
        var inMath = false
        func flush() {
            guard !word.isEmpty else { return }
            // Per hyphen/slash segment: an acronym or a capital after the first letter (`Multi-Modal`
            // is title case, `BLIP-2` and `ViT-B/16` are not).
            let segments = word.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
            let protect = segments.contains { segment in
                segment.filter(\.isLetter).dropFirst().contains(where: \.isUppercase)
            }
            if !word.contains("\\") && protect {
                out += "{\(word)}"
            } else {
                out += word
            }
            word = ""
        }
        for ch in title {
            if depth == 0 && !inMath && (ch.isLetter || ch.isNumber || ch == "-" || ch == "\\"
                                         || ((ch == "." || ch == "/") && !word.isEmpty)) {
                word.append(ch)
                continue
            }
            flush()
            if ch == "$" { inMath.toggle() }
            if ch == "{" { depth += 1 } else if ch == "}" { depth = max(0, depth - 1) }
            out.append(ch)
        }
        flush()
        return out
    }

    static let stopWords: Set<String> = ["a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "towards",
                                         "toward", "via", "from", "by", "at", "is", "are", "do", "does", "what",
                                         "how", "why", "when", "can", "into", "as", "its", "we", "our"]

    /// `lin2025survey`: first author's family name, year, first significant title word; ASCII letters.
    public static func baseKey(for record: WorkRecord) -> String {
        func ascii(_ s: String) -> String {
            s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                .lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic) }
                .map(String.init).joined()
        }
        let first = record.authors.first
        let familyWords = (first.map { $0.family.isEmpty ? $0.display : $0.family } ?? "")
            .split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        let family = ascii(familyWords.last ?? "")
        let year = record.year.map(String.init) ?? ""
        let words = LaTeX.decode(record.title ?? "").split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { ascii(String($0)) }.filter { !$0.isEmpty }
        let word = words.first(where: { !stopWords.contains($0) }) ?? words.first ?? ""
        let key = (family.isEmpty ? "anon" : family) + year + word
        return key
    }

    /// Unique keys for a list of (base key, stable order) pairs: the first of each base keeps it, the
    /// others get `a`, `b`, … in the given order.
    public static func uniqueKeys(_ bases: [String], taken: Set<String> = []) -> [String] {
        var used = taken
        var out: [String] = []
        out.reserveCapacity(bases.count)
        for base in bases {
            if used.insert(base).inserted { out.append(base); continue }
            var n = 0
            while true {
                let candidate = base + suffix(n)
                if used.insert(candidate).inserted { out.append(candidate); break }
                n += 1
            }
        }
        return out
    }

    /// a, b, …, z, aa, ab, …
    static func suffix(_ n: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var n = n
        var s = ""
        repeat {
            s = String(letters[n % 26]) + s
            n = n / 26 - 1
        } while n >= 0
        return s
    }
}
