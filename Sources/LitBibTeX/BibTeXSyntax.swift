// The concrete syntax tree of a .bib file: a flat, compact partition of the input bytes into items
// (junk text, entries, @string, @preamble, @comment), with byte ranges for every part of an entry.
// Nothing is copied out of the input: every range points into `source.bytes`, so an untouched file
// (or any untouched item) is written back byte for byte by slicing.
import LitModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a .bib file and how to decode them.
public struct BibTeXSource: Sendable {
    public enum Encoding: String, Sendable { case utf8, latin1 }

    /// The file name used in diagnostics.
    public let path: String
    /// The input exactly as read.
    public let bytes: [UInt8]
    /// UTF-8 unless the bytes are not valid UTF-8, in which case Latin-1.
    public let encoding: Encoding

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.encoding = BibTeXSource.isValidUTF8(bytes) ? .utf8 : .latin1
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// Decodes a byte range to a String in the file's encoding.
    public func string(_ start: Int, _ end: Int) -> String {
        guard start < end else { return "" }
        return bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[start..<end])
            return BibTeXSource.decode(slice, encoding)
        }
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ encoding: Encoding) -> String {
        switch encoding {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return String(scalars)
        }
    }

    /// Whether `bytes` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
    /// U+10FFFF). Runs of ASCII are checked sixteen bytes at a time.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return true }
            let raw = UnsafeRawPointer(base)
            let n = b.count
            let highs: UInt64 = 0x8080_8080_8080_8080
            var i = 0
            @inline(__always) func continuation(_ k: Int) -> Bool { k < n && b[k] & 0xC0 == 0x80 }
            while i < n {
                while i + 16 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    if w & highs != 0 { break }
                    i += 16
                }
                guard i < n else { break }
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                switch c {
                case 0xC2...0xDF:
                    guard continuation(i + 1) else { return false }
                    i += 2
                case 0xE0...0xEF:
                    guard i + 1 < n else { return false }
                    let c1 = b[i + 1]
                    let low: UInt8 = c == 0xE0 ? 0xA0 : 0x80, high: UInt8 = c == 0xED ? 0x9F : 0xBF
                    guard c1 >= low, c1 <= high, continuation(i + 2) else { return false }
                    i += 3
                case 0xF0...0xF4:
                    guard i + 1 < n else { return false }
                    let c1 = b[i + 1]
                    let low: UInt8 = c == 0xF0 ? 0x90 : 0x80, high: UInt8 = c == 0xF4 ? 0x8F : 0xBF
                    guard c1 >= low, c1 <= high, continuation(i + 2), continuation(i + 3) else { return false }
                    i += 4
                default:
                    return false
                }
            }
            return true
        }
    }

    /// Byte offsets at which lines start (line 1 at offset 0). A line ends at `\n`, `\r\n` or `\r`.
    public func lineStarts() -> [Int32] {
        var starts: [Int32] = [0]
        starts.reserveCapacity(bytes.count / 40 + 1)
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            let n = b.count
            if memchr(base, 0x0D, n) == nil {
                var p = base
                var left = n
                while left > 0, let found = memchr(p, 0x0A, left) {
                    let next = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
                    starts.append(Int32(base.distance(to: next)))
                    left -= p.distance(to: next)
                    p = next
                }
                return
            }
            var i = 0
            while i < n {
                let c = b[i]
                if c == 0x0A {
                    starts.append(Int32(i + 1))
                } else if c == 0x0D {
                    if i + 1 < n && b[i + 1] == 0x0A { i += 1 }
                    starts.append(Int32(i + 1))
                }
                i += 1
            }
        }
        return starts
    }
}

/// Maps byte offsets to 1-based line and column (columns count characters, not bytes).
public struct BibTeXLineMap: Sendable {
    let starts: [Int32]
    let source: BibTeXSource

    public init(_ source: BibTeXSource) {
        self.source = source
        self.starts = source.lineStarts()
    }

    /// The 1-based line holding byte `offset`.
    public func line(_ offset: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(starts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// 1-based line and column of byte `offset`.
    public func position(_ offset: Int) -> (line: Int, column: Int) {
        let line = line(offset)
        let start = Int(starts[line - 1])
        var column = 1
        let end = min(offset, source.bytes.count)
        if start < end {
            if source.encoding == .latin1 {
                column += end - start
            } else {
                for i in start..<end where source.bytes[i] & 0xC0 != 0x80 { column += 1 }
            }
        }
        return (line, column)
    }

    public func span(_ offset: Int, length: Int = 1) -> SourceSpan {
        let (line, column) = position(offset)
        return SourceSpan(file: source.path, line: line, column: column, length: length)
    }
}

/// One piece of a field value: `{braced}`, `"quoted"`, a number or a macro name.
///
///     value = part ("#" part)*
public struct BibTeXValuePart: Sendable, Hashable {
    public enum Kind: UInt8, Sendable { case braced, quoted, number, macro }
    public var kind: Kind
    /// The token's bytes, delimiters included.
    public var start: Int32
    public var end: Int32

    /// The range inside the delimiters (the whole token for numbers and macros).
    public var contentStart: Int { kind == .braced || kind == .quoted ? Int(start) + 1 : Int(start) }
    public var contentEnd: Int { kind == .braced || kind == .quoted ? Int(end) - 1 : Int(end) }
}

/// One `name = value` of an entry (or the single value of `@string` / `@preamble`).
///
///     field = name "=" value
public struct BibTeXFieldSyntax: Sendable, Hashable {
    public var nameStart: Int32
    public var nameEnd: Int32
    /// Index of the first part in `BibTeXSyntaxTree.parts`.
    public var firstPart: Int32
    public var partCount: Int32
    /// Set when the value was cut short by an error (the parts hold what came before it).
    public var isComplete: Bool
}

/// A top-level piece of the file. Consecutive items cover the file exactly.
///
///     file  = (junk | item)*
///     item  = "@" type ("{" | "(") body ("}" | ")")
///     body  = key ("," field)* ","?          for entries
///           | name "=" value                 for @string
///           | value                          for @preamble
///     @comment is the word alone: bibtex ignores it and reads on from there.
public struct BibTeXItem: Sendable, Hashable {
    public enum Kind: UInt8, Sendable { case junk, entry, string, preamble, comment }
    public var kind: Kind
    /// The item's bytes, from `@` to the closing delimiter (or to where an error stopped it).
    public var start: Int32
    public var end: Int32
    /// The word after `@` (entry type or command name).
    public var typeStart: Int32 = -1
    public var typeEnd: Int32 = -1
    /// The entry key.
    public var keyStart: Int32 = -1
    public var keyEnd: Int32 = -1
    /// Offset of the opening `{` / `(`, or -1.
    public var open: Int32 = -1
    /// Offset of the closing delimiter, or -1 when the item ended in an error.
    public var close: Int32 = -1
    /// Fields (`@string` and `@preamble` have one) as indices into `BibTeXSyntaxTree.fields`.
    public var firstField: Int32 = 0
    public var fieldCount: Int32 = 0
    /// Index into `BibTeXSyntaxTree.errors` of the error that stopped this item, or -1.
    public var error: Int32 = -1

    public var hasError: Bool { error >= 0 }
}

/// A syntax error as bibtex reports it, with where we point the user.
public struct BibTeXSyntaxError: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case illegalEndOfDatabase
        case expectedOpening            // I was expecting a `{' or a `('
        case expectedCommaOrClose(UInt8) // I was expecting a `,' or a `}'
        case expectedEquals             // I was expecting an "="
        case missing(String)            // You're missing a field part / an entry type / …
        case followedBy(UInt8, String)  // "x" immediately follows a field name
        case unbalancedBraces
        case missingClose(UInt8, String) // Missing "}" in preamble command
    }
    public var kind: Kind
    /// Where bibtex detects the error (its line is the line bibtex reports).
    public var offset: Int32
    /// Where the user should look (e.g. the opening brace of an unterminated value).
    public var pointAt: Int32
    /// Set when the error lies past the next entry's '@': the value at `pointAt` ran on into it.
    public var runsOn = false

    /// The message exactly as bibtex prints it before `---line N of file …`.
    public var bibtexMessage: String {
        switch kind {
        case .illegalEndOfDatabase: return "Illegal end of database file"
        case .expectedOpening: return "I was expecting a `{' or a `('"
        case .expectedCommaOrClose(let c): return "I was expecting a `,' or a `\(Character(Unicode.Scalar(c)))'"
        case .expectedEquals: return "I was expecting an \"=\""
        case .missing(let what): return "You're missing \(what)"
        case .followedBy(let c, let what): return "\"\(Character(Unicode.Scalar(c)))\" immediately follows \(what)"
        case .unbalancedBraces: return "Unbalanced braces"
        case .missingClose(let c, let command): return "Missing \"\(Character(Unicode.Scalar(c)))\" in \(command) command"
        }
    }

    /// Our wording, with bibtex's as a note.
    public var message: String {
        if runsOn { return "this value runs on into the next entry (a missing '}' or '\"'?)" }
        switch kind {
        case .illegalEndOfDatabase: return "unexpected end of file inside this item (unterminated value or missing closing delimiter)"
        case .expectedOpening: return "expected '{' or '(' after the entry type"
        case .expectedCommaOrClose(let c): return "expected ',' or '\(Character(Unicode.Scalar(c)))' after a field"
        case .expectedEquals: return "expected '=' after the name"
        case .missing(let what): return "missing \(what)"
        case .followedBy(let c, let what): return "unexpected '\(Character(Unicode.Scalar(c)))' right after \(what)"
        case .unbalancedBraces: return "unbalanced braces: '}' without a matching '{' in a quoted value"
        case .missingClose(let c, let command): return "missing '\(Character(Unicode.Scalar(c)))' to end the @\(command)"
        }
    }

    public var id: String {
        switch kind {
        case .illegalEndOfDatabase: return "bibtex.unexpected-eof"
        case .expectedOpening: return "bibtex.expected-opening"
        case .expectedCommaOrClose: return "bibtex.expected-comma"
        case .expectedEquals: return "bibtex.expected-equals"
        case .missing: return "bibtex.missing"
        case .followedBy: return "bibtex.unexpected-character"
        case .unbalancedBraces: return "bibtex.unbalanced-braces"
        case .missingClose: return "bibtex.missing-close"
        }
    }
}

/// The parsed file: items in order, with their fields and value parts in flat arrays.
public struct BibTeXSyntaxTree: Sendable {
    public let source: BibTeXSource
    public internal(set) var items: [BibTeXItem] = []
    public internal(set) var fields: [BibTeXFieldSyntax] = []
    public internal(set) var parts: [BibTeXValuePart] = []
    public internal(set) var errors: [BibTeXSyntaxError] = []
    /// For each item, the case-folded hash of its entry key (0 for other items): `KeySet.foldedHash`.
    var keyHashes: [UInt64] = []
    /// Indices in `fields` of the entry fields named `crossref` (any case), in order.
    var crossrefFields: [Int32] = []

    init(source: BibTeXSource) { self.source = source }

    /// The exact bytes of an item.
    public func bytes(of item: BibTeXItem) -> ArraySlice<UInt8> {
        source.bytes[Int(item.start)..<Int(item.end)]
    }

    public func text(of item: BibTeXItem) -> String { source.string(Int(item.start), Int(item.end)) }

    /// The entry type or command name as written.
    public func typeName(of item: BibTeXItem) -> String {
        item.typeStart < 0 ? "" : source.string(Int(item.typeStart), Int(item.typeEnd))
    }

    /// The entry key as written.
    public func key(of item: BibTeXItem) -> String {
        item.keyStart < 0 ? "" : source.string(Int(item.keyStart), Int(item.keyEnd))
    }

    public func fields(of item: BibTeXItem) -> ArraySlice<BibTeXFieldSyntax> {
        fields[Int(item.firstField)..<Int(item.firstField + item.fieldCount)]
    }

    public func parts(of field: BibTeXFieldSyntax) -> ArraySlice<BibTeXValuePart> {
        parts[Int(field.firstPart)..<Int(field.firstPart + field.partCount)]
    }

    public func name(of field: BibTeXFieldSyntax) -> String {
        source.string(Int(field.nameStart), Int(field.nameEnd))
    }

    /// The whole file written back from the tree: the input, byte for byte.
    public func write() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.bytes.count)
        for item in items { out += bytes(of: item) }
        return out
    }

    /// Diagnostics for the syntax errors, positioned in the file.
    public func diagnostics(lines: BibTeXLineMap? = nil) -> [Diagnostic] {
        guard !errors.isEmpty || source.encoding == .latin1 else { return [] }
        let map = lines ?? BibTeXLineMap(source)
        var out: [Diagnostic] = []
        if source.encoding == .latin1 {
            out.append(.warning("bibtex.latin1", "file is not valid UTF-8; read as Latin-1 (ISO 8859-1)",
                                at: map.span(firstNonASCII())))
        }
        for error in errors {
            var notes = ["bibtex says: \(error.bibtexMessage)"]
            if error.pointAt != error.offset {
                let (line, column) = map.position(Int(error.offset))
                notes.append("detected at \(line):\(column)")
            }
            if case .illegalEndOfDatabase = error.kind {
                notes.append("the entry is skipped; reading resumes at the next '@' that starts a line")
            } else {
                notes.append("the entry is skipped; reading resumes at the next '@'")
            }
            out.append(.error(error.id, error.message, at: map.span(Int(error.pointAt)), notes: notes))
        }
        return out
    }

    func firstNonASCII() -> Int {
        source.bytes.firstIndex(where: { $0 >= 0x80 }) ?? 0
    }
}
