// LaTeX in BibTeX values → Unicode text for search and display: accents in every spelling
// ({\"u}, \"{u}, \"u, {\"{u}}), foreign letters (\ss, \o, \ae, \l, \i…), escaped specials (\&, \%),
// dashes and quotes, text-style commands reduced to their argument, braces dropped, math kept as
// written. The raw value is never changed; this is a view of it. The reverse, `encode`, escapes
// non-ASCII text for bibtex.
import Foundation

public enum LaTeX {
    /// Accent commands → combining marks.
    static let accents: [String: Character] = [
        "`": "\u{0300}", "'": "\u{0301}", "^": "\u{0302}", "~": "\u{0303}", "=": "\u{0304}",
        "u": "\u{0306}", ".": "\u{0307}", "\"": "\u{0308}", "r": "\u{030A}", "H": "\u{030B}",
        "v": "\u{030C}", "d": "\u{0323}", "c": "\u{0327}", "k": "\u{0328}", "b": "\u{0331}",
    ]

    /// Commands that stand for one character or a fixed text.
    static let symbols: [String: String] = [
        "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
        "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
        "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
        "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": " ",
        ";": " ", ":": " ", "!": "", "/": "", "-": "", "@": "", "\\": " ",
        "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
        "S": "§", "P": "¶", "copyright": "©", "textcopyright": "©", "textregistered": "®",
        "texttrademark": "™", "pounds": "£", "textsterling": "£", "euro": "€", "texteuro": "€",
        "textquoteright": "’", "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”",
        "guillemotleft": "«", "guillemotright": "»", "textasciitilde": "~", "textasciicircum": "^",
        "textbackslash": "\\", "textbar": "|", "textless": "<", "textgreater": ">", "textdegree": "°",
        "textperiodcentered": "·", "textbullet": "•", "dag": "†", "ddag": "‡", "textdagger": "†",
        "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e", "slash": "/",
        "textunderscore": "_", "textexclamdown": "¡", "textquestiondown": "¿", "noopsort": "",
        "relax": "", "protect": "", "nobreakspace": " ", "quad": " ", "qquad": " ", "enspace": " ",
        "thinspace": " ", "textsuperscript": "", "textsubscript": "",
    ]

    /// Greek letter commands → letters (`\alpha` → α), for `$\alpha$` alone.
    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ", "eta": "η",
        "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
        "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
        "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    ]

    /// Decodes LaTeX to display text: `Schr{\"o}dinger --- {\ss}` → `Schrödinger — ß`.
    public static func decode(_ raw: String) -> String {
        // Fast path: nothing LaTeX-like in the value.
        if !raw.utf8.contains(where: { $0 == 0x5C || $0 == 0x7B || $0 == 0x7D || $0 == 0x7E || $0 == 0x2D
                                        || $0 == 0x60 || $0 == 0x27 || $0 == 0x24 || $0 == 0x0A || $0 == 0x09 }) {
            return raw
        }
        if let text = ASCIIDecoder.decode(raw) { return text }
        return decodeScalars(raw)
    }

    /// The general decoder, over Unicode scalars (any input, accents composed).
    static func decodeScalars(_ raw: String) -> String {
        var decoder = Decoder(Array(raw.unicodeScalars))
        let text = decoder.run()
        return collapse(decoder.accented ? composed(text) : text)
    }

    /// `text.precomposedStringWithCanonicalMapping` (NFC), worked out here for the usual result of
    /// accent commands, letters below U+0300 each followed by at most one mark that composes with
    /// it; Foundation does anything else.
    static func composed(_ text: String) -> String {
        let pairs = Composition.pairs
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        // The last scalar, held back while a mark may still compose with it.
        var held: Unicode.Scalar?
        var composable = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x300 || Composition.inert(v) {
                if let held { UTF8.encode(held) { out.append($0) } }
                held = scalar
                composable = v < 0x300
            } else if v < 0x370, composable, let base = held, let composite = pairs[UInt64(base.value) << 32 | UInt64(v)] {
                held = composite
                composable = false
            } else {
                return text.precomposedStringWithCanonicalMapping
            }
        }
        if let held { UTF8.encode(held) { out.append($0) } }
        return String(decoding: out, as: UTF8.self)
    }

    /// What `composed` needs to know of Unicode's canonical composition.
    enum Composition {
        /// Letter (below U+0300) and combining mark (U+0300–U+036F) → the character they compose to,
        /// as NFC composes them, for the precomposed Latin letters (U+00C0–U+024F, U+1E00–U+1EFF)
        /// made of one letter and one mark. Read from Foundation's normalisation once.
        static let pairs: [UInt64: Unicode.Scalar] = {
            var map: [UInt64: Unicode.Scalar] = [:]
            for v in Array(0xC0...0x24F) + Array(0x1E00...0x1EFF) {
                guard let c = Unicode.Scalar(v) else { continue }
                let parts = Array(String(c).decomposedStringWithCanonicalMapping.unicodeScalars)
                guard parts.count == 2, parts[0].value < 0x300, (0x300..<0x370).contains(parts[1].value) else { continue }
                let pair = String(String.UnicodeScalarView(parts))
                guard Array(pair.precomposedStringWithCanonicalMapping.unicodeScalars) == [c] else { continue }
                map[UInt64(parts[0].value) << 32 | UInt64(parts[1].value)] = c
            }
            return map
        }()

        /// Characters at or above U+0300 that the decoder writes and NFC leaves alone, with nothing
        /// composing onto them: Greek letters (`\alpha`), dashes, quotes, dots, currency signs.
        static func inert(_ v: UInt32) -> Bool {
            (v >= 0x391 && v <= 0x3A9) || (v >= 0x3B1 && v <= 0x3C9) || (v >= 0x2010 && v <= 0x2027)
                || (v >= 0x2030 && v <= 0x205E) || (v >= 0x20A0 && v <= 0x20C0)
        }
    }

    /// `Decoder` over the bytes of an ASCII value, for values without accent commands (most titles,
    /// venues and names): no scalar array, no composing, white space collapsed on bytes. Nil when
    /// the value is not ASCII or has an accent command; `Decoder` then does the work.
    struct ASCIIDecoder {
        let s: UnsafeBufferPointer<UInt8>
        var i = 0
        var out: [UInt8] = []

        static func decode(_ raw: String) -> String? {
            var raw = raw
            return raw.withUTF8 { bytes -> String? in
                for b in bytes where b >= 0x80 { return nil }
                var decoder = ASCIIDecoder(s: bytes)
                decoder.out.reserveCapacity(bytes.count)
                while decoder.i < bytes.count {
                    guard decoder.step() else { return nil }
                }
                return collapse(decoder.out)
            }
        }

        /// White space runs (space, newline, tab, carriage return) → one space, none at either end.
        /// A carriage return before a newline is one character and not white space, as `collapse` sees it.
        static func collapse(_ b: [UInt8]) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var space = false
            var k = 0
            while k < b.count {
                let c = b[k]
                if c == 0x0D && k + 1 < b.count && b[k + 1] == 0x0A {
                    if space { out.append(0x20) }
                    space = false
                    out.append(0x0D)
                    out.append(0x0A)
                    k += 2
                    continue
                }
                if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D {
                    space = !out.isEmpty
                } else {
                    if space { out.append(0x20) }
                    space = false
                    out.append(c)
                }
                k += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        func peek(_ k: Int = 0) -> UInt8? { i + k < s.count ? s[i + k] : nil }

        mutating func append(_ text: String) { out.append(contentsOf: text.utf8) }

        /// One step of `Decoder.step`; false at an accent command.
        mutating func step() -> Bool {
            let c = s[i]
            switch c {
            case 0x5C: // \
                return command()
            case 0x7B, 0x7D:
                i += 1
            case 0x24: // $
                math()
            case 0x7E: // ~
                out.append(0x20); i += 1
            case 0x2D: // -
                if peek(1) == 0x2D && peek(2) == 0x2D { append("—"); i += 3 }
                else if peek(1) == 0x2D { append("–"); i += 2 }
                else { out.append(0x2D); i += 1 }
            case 0x60: // `
                if peek(1) == 0x60 { append("“"); i += 2 } else { append("‘"); i += 1 }
            case 0x27: // '
                if peek(1) == 0x27 { append("”"); i += 2 } else { out.append(0x27); i += 1 }
            default:
                out.append(c); i += 1
            }
            return true
        }

        static func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }

        mutating func math() {
            let double = peek(1) == 0x24
            let start = i
            i += double ? 2 : 1
            while i < s.count {
                if s[i] == 0x5C { i += 2; continue }
                if s[i] == 0x24 {
                    i += (double && peek(1) == 0x24) ? 2 : 1
                    // `$\alpha$` alone is the letter.
                    if !double, start + 1 < i - 1, s[start + 1] == 0x5C {
                        let name = String(decoding: UnsafeBufferPointer(rebasing: s[(start + 2)..<(i - 1)]), as: UTF8.self)
                        if let letter = LaTeX.greek[name] {
                            append(letter)
                            return
                        }
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<min(i, s.count)]))
                    return
                }
                i += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<s.count]))
        }

        mutating func readName() -> String {
            let start = i
            if let c = peek(), Self.isLetter(c) {
                while let c = peek(), Self.isLetter(c) { i += 1 }
                let name = String(decoding: UnsafeBufferPointer(rebasing: s[start..<i]), as: UTF8.self)
                while let c = peek(), c == 0x20 { i += 1 }
                return name
            }
            i += 1
            return String(decoding: UnsafeBufferPointer(rebasing: s[start..<i]), as: UTF8.self)
        }

        mutating func command() -> Bool {
            i += 1
            guard peek() != nil else { out.append(0x5C); return true }
            let name = readName()
            if LaTeX.accents[name] != nil { return false }
            if let text = LaTeX.symbols[name] { append(text) }
            return true
        }
    }

    static func collapse(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var space = false
        for ch in s {
            if ch == " " || ch == "\n" || ch == "\t" || ch == "\r" {
                space = !out.isEmpty
            } else {
                if space { out.append(" ") }
                space = false
                out.append(ch)
            }
        }
        return out
    }

    struct Decoder {
        let s: [Unicode.Scalar]
        var i = 0
        var out = String.UnicodeScalarView()
        /// Set once a combining mark was written (the text then needs composing).
        var accented = false

        init(_ s: [Unicode.Scalar], start: Int = 0) {
            self.s = s
            self.i = start
        }

        mutating func run() -> String {
            while i < s.count { step() }
            return String(out)
        }

        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

        mutating func step() {
            let c = s[i]
            switch c {
            case "\\":
                command()
            case "{", "}":
                i += 1
            case "$":
                math()
            case "~":
                out.append(" "); i += 1
            case "-":
                if peek(1) == "-" && peek(2) == "-" { out.append("—"); i += 3 }
                else if peek(1) == "-" { out.append("–"); i += 2 }
                else { out.append("-"); i += 1 }
            case "`":
                if peek(1) == "`" { out.append("“"); i += 2 } else { out.append("‘"); i += 1 }
            case "'":
                if peek(1) == "'" { out.append("”"); i += 2 } else { out.append("'"); i += 1 }
            default:
                out.append(c); i += 1
            }
        }

        /// Math is kept as written, dollars included.
        mutating func math() {
            let double = peek(1) == "$"
            let start = i
            i += double ? 2 : 1
            while i < s.count {
                if s[i] == "\\" { i += 2; continue }
                if s[i] == "$" {
                    i += (double && peek(1) == "$") ? 2 : 1
                    // `$\alpha$` alone is the letter.
                    let inner = String(String.UnicodeScalarView(s[(start + 1)..<(i - 1)]))
                    if !double, inner.hasPrefix("\\"), let letter = LaTeX.greek[String(inner.dropFirst())] {
                        out.append(contentsOf: letter.unicodeScalars)
                        return
                    }
                    for k in start..<min(i, s.count) { out.append(s[k]) }
                    return
                }
                i += 1
            }
            // Unterminated: keep the rest literally.
            for k in start..<s.count { out.append(s[k]) }
        }

        /// `\name` (letters) or `\x` (one non-letter).
        mutating func readName() -> String {
            var name = ""
            if let c = peek(), c.properties.isAlphabetic && c.isASCII {
                while let c = peek(), c.isASCII && c.properties.isAlphabetic { name.unicodeScalars.append(c); i += 1 }
                // A space after a letter command only ends it.
                while let c = peek(), c == " " { i += 1 }
            } else if let c = peek() {
                name.unicodeScalars.append(c); i += 1
            }
            return name
        }

        /// The accent's argument: `{x}`, `{\i}`, or the next character.
        mutating func accentArgument() -> String {
            while let c = peek(), c == " " { i += 1 }
            guard let c = peek() else { return "" }
            if c == "{" {
                i += 1
                var inner = Decoder(s, start: i)
                var depth = 0
                while inner.i < inner.s.count {
                    let d = inner.s[inner.i]
                    if d == "{" { depth += 1; inner.i += 1; continue }
                    if d == "}" {
                        if depth == 0 { inner.i += 1; break }
                        depth -= 1; inner.i += 1; continue
                    }
                    inner.step()
                }
                i = inner.i
                if inner.accented { accented = true }
                return String(inner.out)
            }
            if c == "\\" {
                i += 1
                let name = readName()
                return LaTeX.symbols[name] ?? name
            }
            i += 1
            return String(c)
        }

        mutating func command() {
            i += 1
            guard peek() != nil else { out.append("\\"); return }
            let name = readName()
            if let mark = LaTeX.accents[name] {
                let arg = accentArgument()
                var scalars = Array(arg.unicodeScalars)
                if scalars.isEmpty { scalars = [" "] }
                // An accent on a dotless i or j is the accented i or j.
                if scalars[0] == "ı" { scalars[0] = "i" } else if scalars[0] == "ȷ" { scalars[0] = "j" }
                // The mark goes on the first character of the argument.
                out.append(scalars[0])
                for m in mark.unicodeScalars { out.append(m) }
                accented = true
                for k in 1..<scalars.count { out.append(scalars[k]) }
                return
            }
            if let text = LaTeX.symbols[name] {
                out.unicodeScalars(text)
                return
            }
            // Any other command: drop it, keep its argument (\emph{x}, \textbf{x}, \url{x}, …).
        }
    }

    /// Escapes text for bibtex: non-ASCII letters as accent commands where one exists (`ü` → `{\"u}`),
    /// specials (`&`, `%`, `$`, `#`, `_`) with a backslash; anything else is kept.
    public static func encode(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "\\&"
            case "%": out += "\\%"
            case "#": out += "\\#"
            case "_": out += "\\_"
            case "$": out += "\\$"
            default:
                if ch.isASCII { out.append(ch); continue }
                if let special = reverseSymbols[ch] { out += "{\\\(special)}"; continue }
                out += encodeAccented(ch) ?? String(ch)
            }
        }
        return out
    }

    static let reverseSymbols: [Character: String] = [
        "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "å": "aa", "Å": "AA",
        "ł": "l", "Ł": "L", "ı": "i", "ð": "dh", "Ð": "DH", "þ": "th", "Þ": "TH", "đ": "dj", "Đ": "DJ",
        "–": "textendash", "—": "textemdash", "…": "ldots", "§": "S", "¶": "P", "©": "copyright",
        "£": "pounds", "€": "euro", "’": "textquoteright", "‘": "textquoteleft", "“": "textquotedblleft",
        "”": "textquotedblright", "«": "guillemotleft", "»": "guillemotright", "°": "textdegree",
        "·": "textperiodcentered", "•": "textbullet", "†": "dag", "‡": "ddag", "¡": "textexclamdown",
        "¿": "textquestiondown", "®": "textregistered", "™": "texttrademark",
    ]

    static let reverseAccents: [Unicode.Scalar: String] = {
        var map: [Unicode.Scalar: String] = [:]
        for (command, mark) in accents { map[mark.unicodeScalars.first!] = command }
        return map
    }()

    /// `é` → `{\'e}`, `ñ` → `{\~n}`, `ı́` → `{\'{\i}}`; nil when no accent command fits.
    static func encodeAccented(_ ch: Character) -> String? {
        let scalars = Array(String(ch).decomposedStringWithCanonicalMapping.unicodeScalars)
        guard let base = scalars.first, base.isASCII, base.properties.isAlphabetic, scalars.count >= 2 else { return nil }
        var text = base == "i" ? "\\i" : base == "j" ? "\\j" : String(base)
        for mark in scalars.dropFirst() {
            guard let command = reverseAccents[mark] else { return nil }
            let letterCommand = command.first!.isLetter
            if text.count == 1 && !letterCommand {
                text = "\\\(command)\(text)"
            } else {
                text = "\\\(command){\(text)}"
            }
        }
        return "{\(text)}"
    }
}

private extension String.UnicodeScalarView {
    mutating func unicodeScalars(_ text: String) { append(contentsOf: text.unicodeScalars) }
}
