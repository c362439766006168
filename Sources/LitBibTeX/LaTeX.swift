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
        var raw = raw
        // Nothing LaTeX-like in the value: the value itself (most names, keys and venues).
        let plain = raw.withUTF8 { b -> Bool in
            for c in b where c < 0x80 && (c < 0x40 ? specialLow >> c : specialHigh >> (c &- 0x40)) & 1 != 0 {
                return false
            }
            return true
        }
        if plain { return raw }
        if let text = ByteDecoder.decode(raw) { return text }
        return decodeScalars(raw)
    }

    /// The bytes `decode` looks at (`\ { } ~ - ` ' $`, newline, tab) as bits: below 0x40, and 0x40–0x7F.
    static var specialLow: UInt64 { 1 << 0x09 | 1 << 0x0A | 1 << 0x24 | 1 << 0x27 | 1 << 0x2D }
    static var specialHigh: UInt64 { 1 << (0x5C - 0x40) | 1 << (0x60 - 0x40) | 1 << (0x7B - 0x40)
        | 1 << (0x7D - 0x40) | 1 << (0x7E - 0x40) }

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

    /// `Decoder` over the UTF-8 bytes of a value, for what most values hold: ASCII and letters below
    /// U+0300 (accented Latin), commands, and accents on one letter that compose to one character
    /// (`{\"o}`, `\'{e}`, `\c c`, `{\'\i}`), composed as they are written and white space collapsed as
    /// the bytes are written. Nil when the general decoder must decide (a character at or above
    /// U+0300 in the value, which may join a neighbour or need normalising; an accent on anything
    /// else); it then gives the same text this would.
    struct ByteDecoder {
        let s: UnsafeBufferPointer<UInt8>
        var i = 0
        var out: [UInt8] = []
        /// `collapse`'s state: a space is due before the next character written.
        var space = false
        /// A carriage return was written last and is not yet known to start `\r\n`.
        var carriageReturn = false
        /// An accent was composed: the general decoder would then normalise the whole text.
        var accented = false
        /// A character at or above U+0300 was written that normalising might change.
        var uncomposable = false

        static func decode(_ raw: String) -> String? {
            var raw = raw
            return raw.withUTF8 { bytes -> String? in
                var decoder = ByteDecoder(s: bytes)
                decoder.out.reserveCapacity(bytes.count + 8)
                while decoder.i < bytes.count {
                    guard decoder.step() else { return nil }
                }
                decoder.finish()
                if decoder.accented && decoder.uncomposable { return nil }
                return String(decoding: decoder.out, as: UTF8.self)
            }
        }

        func peek(_ k: Int = 0) -> UInt8? { i + k < s.count ? s[i + k] : nil }

        /// Writes one byte of decoded text as `collapse` would have it: runs of white space (space,
        /// newline, tab, carriage return) as one space, none at either end; `\r\n` is one character
        /// and not white space.
        @inline(__always)
        mutating func emit(_ c: UInt8) {
            if carriageReturn {
                carriageReturn = false
                if c == 0x0A {
                    if space { out.append(0x20) }
                    space = false
                    out.append(0x0D)
                    out.append(0x0A)
                    return
                }
                space = !out.isEmpty
            }
            if c == 0x20 || c == 0x0A || c == 0x09 {
                space = !out.isEmpty
            } else if c == 0x0D {
                carriageReturn = true
            } else {
                if space { out.append(0x20); space = false }
                out.append(c)
            }
        }

        mutating func finish() {
            // A carriage return at the end is white space, and trailing white space goes.
            carriageReturn = false
        }

        mutating func emit(_ text: String) {
            var wide = false
            for c in text.utf8 {
                emit(c)
                if c >= 0xCC { wide = true }
            }
            // Of the texts commands stand for, "™" alone lies above U+0300 outside `Composition.inert`.
            if wide && !uncomposable {
                uncomposable = !text.unicodeScalars.allSatisfy { $0.value < 0x300 || Composition.inert($0.value) }
            }
        }

        mutating func emit(_ bytes: UnsafeBufferPointer<UInt8>) {
            for c in bytes { emit(c) }
        }

        /// One step of `Decoder.step`; false where the general decoder must decide.
        mutating func step() -> Bool {
            let c = s[i]
            switch c {
            case 0x5C: // \
                return command()
            case 0x7B, 0x7D:
                i += 1
            case 0x24: // $
                return math()
            case 0x7E: // ~
                emit(0x20); i += 1
            case 0x2D: // -
                if peek(1) == 0x2D && peek(2) == 0x2D { emit("—"); i += 3 }
                else if peek(1) == 0x2D { emit("–"); i += 2 }
                else { emit(0x2D); i += 1 }
            case 0x60: // `
                if peek(1) == 0x60 { emit("“"); i += 2 } else { emit("‘"); i += 1 }
            case 0x27: // '
                if peek(1) == 0x27 { emit("”"); i += 2 } else { emit(0x27); i += 1 }
            default:
                // A character at or above U+0300 (a combining mark, or one a mark or space may join).
                if c >= 0xCC && c < 0xF8 && c & 0xC0 == 0xC0 { return false }
                emit(c); i += 1
            }
            return true
        }

        static func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }

        /// Math is kept as written, dollars included; false when it holds a character at or above
        /// U+0300.
        mutating func math() -> Bool {
            let double = peek(1) == 0x24
            let start = i
            i += double ? 2 : 1
            var end = s.count
            var closed = false
            while i < s.count {
                if s[i] == 0x5C { i += 2; continue }
                if s[i] == 0x24 {
                    i += (double && peek(1) == 0x24) ? 2 : 1
                    end = min(i, s.count)
                    closed = true
                    break
                }
                i += 1
            }
            for k in start..<end where s[k] >= 0xCC && s[k] < 0xF8 && s[k] & 0xC0 == 0xC0 { return false }
            // `$\alpha$` alone is the letter.
            if closed, !double, start + 1 < i - 1, s[start + 1] == 0x5C {
                let name = String(decoding: UnsafeBufferPointer(rebasing: s[(start + 2)..<(i - 1)]), as: UTF8.self)
                if let letter = LaTeX.greek[name] {
                    emit(letter)
                    return true
                }
            }
            emit(UnsafeBufferPointer(rebasing: s[start..<end]))
            return true
        }

        /// `Decoder.readName` on bytes: `\name` (ASCII letters, then spaces skipped) or one character.
        mutating func readName() -> Range<Int> {
            let start = i
            if let c = peek(), Self.isLetter(c) {
                while let c = peek(), Self.isLetter(c) { i += 1 }
                let end = i
                while let c = peek(), c == 0x20 { i += 1 }
                return start..<end
            }
            i += 1
            // A character beyond ASCII is read whole.
            while let c = peek(), c & 0xC0 == 0x80 { i += 1 }
            return start..<i
        }

        func text(_ r: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: s[r]), as: UTF8.self)
        }

        mutating func command() -> Bool {
            i += 1
            guard peek() != nil else { emit(0x5C); return true }
            let name = readName()
            if name.count == 1, let mark = Self.accentMark(s[name.lowerBound]) {
                return accent(mark)
            }
            if let text = LaTeX.symbols[text(name)] { emit(text) }
            return true
        }

        /// The combining mark of a one-character accent command (`LaTeX.accents`).
        static func accentMark(_ c: UInt8) -> UInt32? {
            switch c {
            case 0x60: 0x300
            case 0x27: 0x301
            case 0x5E: 0x302
            case 0x7E: 0x303
            case 0x3D: 0x304
            case 0x75: 0x306   // u
            case 0x2E: 0x307
            case 0x22: 0x308
            case 0x72: 0x30A   // r
            case 0x48: 0x30B   // H
            case 0x76: 0x30C   // v
            case 0x64: 0x323   // d
            case 0x63: 0x327   // c
            case 0x6B: 0x328   // k
            case 0x62: 0x331   // b
            default: nil
            }
        }

        /// `Decoder.accentArgument` and the mark on it, for an argument that is one ASCII letter
        /// (`x`, `{x}`) or a dotless i or j (`\i`, `{\i}`) and composes with the mark.
        mutating func accent(_ mark: UInt32) -> Bool {
            while let c = peek(), c == 0x20 { i += 1 }
            guard let c = peek() else { return false }
            let letter: UInt8
            if c == 0x7B {
                if let l = peek(1), Self.isLetter(l), peek(2) == 0x7D {
                    letter = l
                    i += 3
                } else if peek(1) == 0x5C, let l = peek(2), l == 0x69 || l == 0x6A, peek(3) == 0x7D {
                    letter = l
                    i += 4
                } else {
                    return false
                }
            } else if c == 0x5C {
                i += 1
                guard peek() != nil else { return false }
                let name = readName()
                guard name.count == 1, s[name.lowerBound] == 0x69 || s[name.lowerBound] == 0x6A else { return false }
                letter = s[name.lowerBound]
            } else if Self.isLetter(c) {
                letter = c
                i += 1
            } else {
                return false
            }
            guard let composite = Composition.pairs[UInt64(letter) << 32 | UInt64(mark)] else { return false }
            accented = true
            UTF8.encode(composite) { emit($0) }
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
