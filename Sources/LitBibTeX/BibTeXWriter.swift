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
        var file = FileBuilder()
        for item in items {
            switch item {
            case .verbatim(let v): file.appendVerbatim(v.text.utf8, strings: v.strings)
            case .generated(let text): file.appendGenerated(text.utf8)
            }
        }
        return String(decoding: file.finish(preamble: preamble), as: UTF8.self)
    }

    /// A .bib file built entry by entry into bytes: first the @string definitions the verbatim
    /// entries need (each once, in the order first needed), then the entries in the order added.
    public struct FileBuilder {
        var strings: [UInt8] = []
        var body: [UInt8] = []
        var defined = Set<String>()

        /// `capacity`: the bytes the entries are expected to take.
        public init(capacity: Int = 0) {
            body.reserveCapacity(capacity)
        }

        /// An entry written as it came, with the @string definitions (name, text) it uses.
        public mutating func appendVerbatim(_ entry: some Collection<UInt8>, strings needed: [(name: String, text: String)]) {
            for (name, text) in needed where defined.insert(name).inserted {
                strings.append(contentsOf: text.utf8)
                strings.append(newline)
            }
            body.append(contentsOf: entry)
            body.append(newline)
            body.append(newline)
        }

        /// An entry already written in the clean style (`write(_:key:options:)`, `Generator.appendEntry`).
        public mutating func appendGenerated(_ entry: some Collection<UInt8>) {
            body.append(contentsOf: entry)
            body.append(newline)
        }

        /// The file: an optional `@preamble`, the @string definitions, the entries.
        public consuming func finish(preamble: String? = nil) -> [UInt8] {
            var head: [UInt8] = []
            if let preamble, !preamble.isEmpty { head.append(contentsOf: "@preamble{\(preamble)}\n\n".utf8) }
            if !strings.isEmpty {
                head.append(contentsOf: strings)
                head.append(newline)
            }
            if head.isEmpty { return body }
            head.reserveCapacity(head.count + body.count)
            head.append(contentsOf: body)
            return head
        }
    }

    static let newline = UInt8(ascii: "\n")

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
        var out: [UInt8] = []
        append(entry, monthMacros: monthMacros, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `write(_:monthMacros:)` into a byte buffer.
    static func append(_ entry: BibTeXEntry, monthMacros: Bool, to out: inout [UInt8]) {
        var width = 0
        for field in entry.fields { width = max(width, displayName(field.name).count) }
        let useParens = entry.key.utf8.contains(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "@"))
        out.append(contentsOf: entry.type.utf8)
        out.append(UInt8(ascii: useParens ? "(" : "{"))
        out.append(contentsOf: entry.key.utf8)
        out.append(contentsOf: ",\n".utf8)
        for field in entry.fields {
            let name = displayName(field.name)
            out.append(contentsOf: "  ".utf8)
            out.append(contentsOf: name.utf8)
            for _ in 0..<max(0, width - name.count) { out.append(UInt8(ascii: " ")) }
            out.append(contentsOf: " = ".utf8)
            if monthMacros, field.name == "month", let macro = monthMacro(field.value) {
                out.append(contentsOf: macro.utf8)
            } else {
                out.append(UInt8(ascii: "{"))
                out.append(contentsOf: field.value.utf8)
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: ",\n".utf8)
        }
        out.append(contentsOf: (useParens ? ")\n" : "}\n").utf8)
    }

    /// Field names as people write them (`archivePrefix`, `primaryClass`), others lower case.
    static func displayName(_ name: String) -> String {
        switch name {
        case "archiveprefix": return "archivePrefix"
        case "primaryclass": return "primaryClass"
        default: return name
        }
    }

    static let monthMacros: Set<String> = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static let months = ["january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december"]

    /// `February` or `2` → `feb`; nil for anything else (then written as a braced value).
    static func monthMacro(_ value: String) -> String? {
        if monthMacros.contains(value) { return value }
        let v = value.lowercased().trimmingCharacters(in: .whitespaces)
        if let n = Int(v), (1...12).contains(n) { return String(months[n - 1].prefix(3)) }
        if let i = months.firstIndex(of: v) { return String(months[i].prefix(3)) }
        if v.count == 3, months.contains(where: { $0.hasPrefix(v) }) { return v }
        return nil
    }

    static let greekLetters: [Character: String] = [
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
        "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
        "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi",
        "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi",
        "Π": "Pi", "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    ]

    static let stopWords: Set<String> = ["a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "towards",
                                         "toward", "via", "from", "by", "at", "is", "are", "do", "does", "what",
                                         "how", "why", "when", "can", "into", "as", "its", "we", "our"]

    // Character classes with the ASCII answer looked up directly (Unicode properties are slow).
    static func isLetter(_ ch: Character) -> Bool {
        guard let a = ch.asciiValue else { return ch.isLetter }
        return (a >= 0x41 && a <= 0x5A) || (a >= 0x61 && a <= 0x7A)
    }

    static func isNumber(_ ch: Character) -> Bool {
        guard let a = ch.asciiValue else { return ch.isNumber }
        return a >= 0x30 && a <= 0x39
    }

    static func isUppercase(_ ch: Character) -> Bool {
        guard let a = ch.asciiValue else { return ch.isUppercase }
        return a >= 0x41 && a <= 0x5A
    }

    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        guard c.isASCII else { return c.properties.isWhitespace }
        return c.value == 0x20 || (c.value >= 0x09 && c.value <= 0x0D)
    }

    /// The ASCII letters of `s` in lower case, accents dropped (`Müller` → `muller`).
    static func asciiLetters(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(s.utf8.count)
            for byte in s.utf8 {
                if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { out.append(byte) }
                else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { out.append(byte + 32) }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic) }
            .map(String.init).joined()
    }

    /// Unique keys for a list of (base key, stable order) pairs: the first of each base keeps it, the
    /// others get `a`, `b`, … in the given order.
    public static func uniqueKeys(_ bases: [String], taken: Set<String> = []) -> [String] {
        var used = taken
        used.reserveCapacity(taken.count + bases.count)
        var out: [String] = []
        out.reserveCapacity(bases.count)
        // Per base, the suffix to try next: those before it are taken already (the set only grows),
        // so a base shared by many papers is not tried from `a` again each time.
        var next: [String: Int] = [:]
        for base in bases {
            if used.insert(base).inserted { out.append(base); continue }
            var n = next[base] ?? 0
            while true {
                let candidate = base + suffix(n)
                n += 1
                if used.insert(candidate).inserted { out.append(candidate); break }
            }
            next[base] = n
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
