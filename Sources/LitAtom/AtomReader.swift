// The Atom stage: a streaming reader of arXiv API feeds on libxml2's xmlTextReader. It walks the file
// node by node (memory does not grow with the file), turns each <entry> into a WorkRecord handed to a
// callback, and reports libxml2's structured errors and the API's error feed as Diagnostics. This is
// the only file that imports libxml2; no C type leaves it.
internal import CLibXML2
import Foundation
import LitModel

/// What the feed says about itself: the opensearch paging totals and its own id and title.
public struct AtomFeedInfo: Sendable, Equatable {
    public var id: String?
    public var title: String?
    public var updated: String?
    public var totalResults: Int?
    public var startIndex: Int?
    public var itemsPerPage: Int?
    public init() {}
}

/// The outcome of reading one feed.
public struct AtomReadResult: Sendable {
    public var feed = AtomFeedInfo()
    /// Entries handed to the callback.
    public var entries = 0
    /// Malformed XML, the API's error feed, entries without an id. Errors mean the file must not be stored.
    public var diagnostics: [Diagnostic] = []
    /// Bytes of input consumed, for progress and throughput.
    public var bytes: Int64 = 0
    /// SHA-256 of the file's bytes, hashed while they were read (when asked for; else empty).
    public var sha256 = ""
    public init() {}
}

/// Reads arXiv Atom feeds, both the classic shape (namespace declared on each element) and the 2025+
/// shape (namespaces on the root, `https` links).
///
///     let result = try AtomReader.read(path: "page-00000.xml") { record in store(record) }
public enum AtomReader {
    /// Streams the feed at `path`, calling `onRecord` for each entry in document order. A throw from
    /// `onRecord` stops the read and is rethrown. With `hashing`, the bytes are hashed on the way. `progress` receives bytes consumed every 256 entries.
    @discardableResult
    public static func read(path: String, displayPath: String? = nil, hashing: Bool = false,
                            progress: ((Int64) -> Void)? = nil,
                            onRecord: (WorkRecord) throws -> Void) throws -> AtomReadResult {
        let shown = displayPath ?? path
        let errors = ErrorSink(file: shown)
        let box = Unmanaged.passRetained(errors)
        defer { box.release() }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            var result = AtomReadResult()
            result.diagnostics.append(.error("atom.unreadable", "cannot open '\(shown)': \(String(cString: strerror(errno)))",
                                             at: SourceSpan(file: shown, line: 1, column: 1)))
            return result
        }
        // libxml2 pulls the bytes through `input`, which hashes them on the way: one pass over the file.
        let input = FileInput(fd: fd, hashing: hashing)
        let inputBox = Unmanaged.passRetained(input)
        defer {
            close(fd)
            inputBox.release()
        }
        guard let reader = xmlReaderForIO({ context, buffer, length in
            guard let context, let buffer else { return -1 }
            return Unmanaged<FileInput>.fromOpaque(context).takeUnretainedValue().read(into: buffer, length: Int(length))
        }, nil, inputBox.toOpaque(), shown, nil, options) else {
            var result = AtomReadResult()
            result.diagnostics.append(.error("atom.unreadable", "cannot read '\(shown)'",
                                             at: SourceSpan(file: shown, line: 1, column: 1)))
            return result
        }
        defer { xmlFreeTextReader(reader) }
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
        }, box.toOpaque())
        var walker = FeedWalker(reader: reader, file: shown)
        try walker.run(errors: errors, progress: progress, onRecord: onRecord)
        var result = walker.result
        if errors.failed, input.atEnd, let line = walker.openEntryLine, let first = errors.diagnostics.firstIndex(where: { $0.severity == .error }) {
            errors.diagnostics[first].notes.append("the file ends inside the <entry> opened at line \(line); is it truncated?")
        }
        result.bytes = input.bytes
        if hashing {
            // Hash what libxml2 did not pull (after the root element closes).
            input.drain()
            result.sha256 = input.hash.hexDigest()
        }
        result.diagnostics.insert(contentsOf: errors.diagnostics, at: 0)
        return result
    }
}

/// The file as libxml2 pulls it, hashed on the way.
private final class FileInput {
    let fd: Int32
    var hash = SHA256()
    var bytes: Int64 = 0
    var failed = false
    var atEnd = false
    let hashing: Bool
    init(fd: Int32, hashing: Bool) {
        self.fd = fd
        self.hashing = hashing
    }

    func read(into buffer: UnsafeMutablePointer<CChar>, length: Int) -> Int32 {
        let n = Foundation.read(fd, buffer, length)
        guard n >= 0 else { failed = true; return -1 }
        if n == 0 { atEnd = true }
        if n > 0 {
            if hashing { hash.update(UnsafeRawBufferPointer(start: buffer, count: n)) }
            bytes += Int64(n)
        }
        return Int32(n)
    }

    func drain() {
        var chunk = [CChar](repeating: 0, count: 65536)
        while chunk.withUnsafeMutableBufferPointer({ read(into: $0.baseAddress!, length: 65536) }) > 0 {}
    }
}

/// Collects libxml2's structured errors as Diagnostics.
private final class ErrorSink {
    let file: String
    var diagnostics: [Diagnostic] = []
    init(file: String) { self.file = file }

    func record(_ error: xmlError) {
        let level = error.level.rawValue
        guard level >= XML_ERR_WARNING.rawValue else { return }
        var message = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        let span = SourceSpan(file: file, line: max(1, Int(error.line)), column: max(1, Int(error.int2)))
        let severity: Diagnostic.Severity = level >= XML_ERR_ERROR.rawValue ? .error : .warning
        // The first error stops the read; what libxml2 reports after it is a cascade from the same fault.
        if failed { return }
        diagnostics.append(Diagnostic(severity, id: "atom.xml", "malformed XML: \(message)", at: span))
        if severity == .error { failed = true }
    }

    /// Whether an error has been recorded (checked after every node, so kept, not computed).
    private(set) var failed = false

    func add(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
        if diagnostic.severity == .error { failed = true }
    }
}

/// The elements the reader acts on; anything else is skipped.
private enum Tag: UInt8 {
    case feed, entry, id, title, summary, updated, published, author, name, affiliation,
         link, category, primaryCategory, doi, journalRef, comment,
         totalResults, startIndex, itemsPerPage, other
}

/// The walk over one feed: a small state machine over xmlTextReader nodes.
private struct FeedWalker {
    let reader: OpaquePointer
    let file: String
    var result = AtomReadResult()

    // Interned names from the reader's dictionary: libxml2 hands back the same pointer for the same
    // name, so element names are compared by address, without building a String per node.
    private var names: [(UnsafePointer<xmlChar>, Tag)] = []
    private var atomNS: UnsafePointer<xmlChar>?
    private var arxivNS: UnsafePointer<xmlChar>?
    private var opensearchNS: UnsafePointer<xmlChar>?
    private var attrHref, attrRel, attrTitle, attrTerm: UnsafePointer<xmlChar>?

    // Current entry state.
    private var record: WorkRecord?
    private var entryLine = 1
    private var entryID: String?
    private var authorName: String?
    private var authorAffiliations: [String] = []
    private var inAuthor = false
    /// The element whose text is being collected, and its depth.
    private var capture: Tag?
    private var captureDepth: Int32 = -1
    private var text: [UInt8] = []

    init(reader: OpaquePointer, file: String) {
        self.reader = reader
        self.file = file
        text.reserveCapacity(4096)
    }

    private func intern(_ s: String) -> UnsafePointer<xmlChar>? {
        s.withCString { xmlTextReaderConstString(reader, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }

    private mutating func setUpNames() {
        let table: [(String, Tag)] = [
            ("feed", .feed), ("entry", .entry), ("id", .id), ("title", .title), ("summary", .summary),
            ("updated", .updated), ("published", .published), ("author", .author), ("name", .name),
            ("affiliation", .affiliation), ("link", .link), ("category", .category),
            ("primary_category", .primaryCategory), ("doi", .doi), ("journal_ref", .journalRef),
            ("comment", .comment), ("totalResults", .totalResults), ("startIndex", .startIndex),
            ("itemsPerPage", .itemsPerPage),
        ]
        names = table.compactMap { name, tag in intern(name).map { ($0, tag) } }
        atomNS = intern("http://www.w3.org/2005/Atom")
        arxivNS = intern("http://arxiv.org/schemas/atom")
        opensearchNS = intern("http://a9.com/-/spec/opensearch/1.1/")
        attrHref = intern("href")
        attrRel = intern("rel")
        attrTitle = intern("title")
        attrTerm = intern("term")
    }

    /// The tag of the current element, checking its namespace so that `arxiv:comment` and an Atom
    /// `comment` (there is none) or a foreign `title` are not confused.
    private func currentTag() -> Tag {
        guard let local = xmlTextReaderConstLocalName(reader) else { return .other }
        var tag = Tag.other
        for (pointer, candidate) in names where pointer == local {
            tag = candidate
            break
        }
        if tag == .other {
            // Names not from the dictionary (should not happen with a dictionary-backed reader).
            tag = names.first { xmlStrEqual($0.0, local) != 0 }?.1 ?? .other
        }
        if tag == .other { return .other }
        let ns = xmlTextReaderConstNamespaceUri(reader)
        func isNS(_ expected: UnsafePointer<xmlChar>?) -> Bool {
            guard let ns, let expected else { return false }
            return ns == expected || xmlStrEqual(ns, expected) != 0
        }
        switch tag {
        case .affiliation, .primaryCategory, .doi, .journalRef, .comment:
            return isNS(arxivNS) ? tag : .other
        case .totalResults, .startIndex, .itemsPerPage:
            return isNS(opensearchNS) ? tag : .other
        default:
            return isNS(atomNS) ? tag : .other
        }
    }

    mutating func run(errors: ErrorSink, progress: ((Int64) -> Void)?,
                      onRecord: (WorkRecord) throws -> Void) throws {
        setUpNames()
        var reported = 0
        var status = xmlTextReaderRead(reader)
        while status == 1 {
            let type = xmlTextReaderNodeType(reader)
            switch type {
            case 1: // element
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                let tag = currentTag()
                if tag != .other {
                    startElement(tag)
                    if empty { try endElement(tag, onRecord: onRecord) }
                }
            case 15: // end element
                let tag = currentTag()
                if tag != .other { try endElement(tag, onRecord: onRecord) }
            case 3, 4, 13, 14: // text, CDATA, whitespace, significant whitespace
                if capture != nil, let value = xmlTextReaderConstValue(reader) {
                    appendText(value)
                }
            default:
                break
            }
            if errors.failed { break }
            if let progress, result.entries - reported >= 256 {
                reported = result.entries
                progress(Int64(xmlTextReaderByteConsumed(reader)))
            }
            status = xmlTextReaderRead(reader)
        }
        if status < 0 && !errors.failed {
            let line = Int(xmlTextReaderGetParserLineNumber(reader))
            let column = Int(xmlTextReaderGetParserColumnNumber(reader))
            errors.add(.error("atom.xml", "malformed XML: the reader stopped",
                                             at: SourceSpan(file: file, line: max(1, line), column: max(1, column))))
        }
    }

    /// The line of the current node's start tag (the parser's own position runs ahead of it).
    private func currentLine() -> Int {
        if let node = xmlTextReaderCurrentNode(reader) {
            let line = Int(xmlGetLineNo(node))
            if line > 0 { return line }
        }
        return max(1, Int(xmlTextReaderGetParserLineNumber(reader)))
    }

    /// The line of the open entry's start tag, when the walk stopped inside one.
    var openEntryLine: Int? { record == nil ? nil : entryLine }

    private mutating func appendText(_ value: UnsafePointer<xmlChar>) {
        var p = value
        while p.pointee != 0 {
            text.append(p.pointee)
            p += 1
        }
    }

    private mutating func startElement(_ tag: Tag) {
        let depth = xmlTextReaderDepth(reader)
        switch tag {
        case .entry:
            var r = WorkRecord(via: "atom", line: currentLine())
            r.links.reserveCapacity(3)
            record = r
            entryLine = r.line
            entryID = nil
        case .author:
            if record != nil {
                inAuthor = true
                authorName = nil
                authorAffiliations = []
            }
        case .link:
            if record != nil { readLink() }
        case .category:
            if record != nil, let term = attribute(attrTerm), !term.isEmpty,
               !(record!.categories.contains(term)) {
                record!.categories.append(term)
            }
        case .primaryCategory:
            if record != nil, let term = attribute(attrTerm), !term.isEmpty {
                record!.primaryCategory = term
            }
        case .feed, .other:
            break
        default:
            // Text-bearing elements: collect their text until the matching end tag.
            if capture == nil {
                capture = tag
                captureDepth = depth
                text.removeAll(keepingCapacity: true)
            }
        }
    }

    private mutating func endElement(_ tag: Tag, onRecord: (WorkRecord) throws -> Void) throws {
        if let captured = capture, captured == tag, xmlTextReaderDepth(reader) == captureDepth {
            capture = nil
            let value = normalisedText()
            store(tag, value)
            return
        }
        switch tag {
        case .author:
            if inAuthor, record != nil {
                inAuthor = false
                if let name = authorName, !name.isEmpty {
                    var person = PersonName(plain: name)
                    person.affiliations = authorAffiliations
                    // In place: copying the record out and back would copy all its fields.
                    record!.authors.append(person)
                }
            }
        case .entry:
            if let r = record {
                record = nil
                try finishEntry(r, onRecord: onRecord)
            }
        default:
            break
        }
    }

    /// Stores a collected text value where it belongs.
    private mutating func store(_ tag: Tag, _ value: String) {
        guard record != nil else {
            switch tag {
            case .id: result.feed.id = value
            case .title: result.feed.title = value
            case .updated: result.feed.updated = value
            case .totalResults: result.feed.totalResults = Int(value)
            case .startIndex: result.feed.startIndex = Int(value)
            case .itemsPerPage: result.feed.itemsPerPage = Int(value)
            default: break
            }
            return
        }
        if value.isEmpty { return }
        if inAuthor {
            switch tag {
            case .name: authorName = value
            case .affiliation: authorAffiliations.append(value)
            default: break
            }
            return
        }
        switch tag {
        case .id: entryID = value
        case .title: record!.title = value
        case .summary: record!.abstract = value
        case .updated: record!.updated = value
        case .published:
            record!.published = value
            let digits = value.utf8.prefix(7).map { $0 }
            if digits.count >= 4, let year = Int(String(decoding: digits[0..<4], as: UTF8.self)) {
                record!.year = year
                if digits.count == 7, digits[4] == UInt8(ascii: "-"),
                   let month = Int(String(decoding: digits[5..<7], as: UTF8.self)) {
                    record!.month = month
                }
            }
        case .doi: record!.doi = Self.fastDOI(value) ?? DOI.normalise(value) ?? value
        case .journalRef: record!.journalRef = value
        case .comment: record!.comment = value
        default: break
        }
    }

    private mutating func finishEntry(_ entry: WorkRecord, onRecord: (WorkRecord) throws -> Void) throws {
        var r = entry
        let span = SourceSpan(file: file, line: entryLine, column: 1)
        guard let id = entryID else {
            result.diagnostics.append(.error("atom.entry-without-id", "entry has no <id>; it is skipped", at: span))
            return
        }
        if Self.isAPIError(id) {
            let message = r.abstract ?? r.title ?? id
            result.diagnostics.append(.error("atom.api-error", "the arXiv API returned an error: \(message)",
                                             at: span, notes: ["error id: \(id)"]))
            return
        }
        guard let arxiv = Self.fastArxivID(id) ?? ArxivID(id) else {
            result.diagnostics.append(.error("atom.bad-id", "entry id '\(id)' is not an arXiv identifier",
                                             at: span))
            return
        }
        r.arxiv = arxiv
        if arxiv.version == nil, let link = r.links["alternate"], let linked = ArxivID(link),
           linked.base == arxiv.base, let version = linked.version {
            r.arxiv = ArxivID(base: arxiv.base, version: version)
        }
        if r.year == nil { r.year = arxiv.year }
        if let primary = r.primaryCategory, !r.categories.contains(primary) {
            r.categories.insert(primary, at: 0)
        }
        if r.links["alternate"] == nil { r.links["alternate"] = id }
        result.entries += 1
        try onRecord(r)
    }

    /// A bare DOI as `arxiv:doi` holds it (`10.…/…`, no spaces), lower-cased; nil for anything else.
    static func fastDOI(_ value: String) -> String? {
        guard value.hasPrefix("10."), value.utf8.contains(UInt8(ascii: "/")),
              !value.utf8.contains(where: { $0 == 0x20 || $0 >= 0x80 }),
              let last = value.utf8.last, last != UInt8(ascii: "."), last != UInt8(ascii: ","), last != UInt8(ascii: ";")
        else { return nil }
        return String(decoding: value.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// `http(s)://arxiv.org/api/errors#…`: the id of the API's error entry.
    static func isAPIError(_ id: String) -> Bool {
        let needle = Array("/api/errors".utf8)
        let bytes = Array(id.utf8)
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// The usual entry id, `http(s)://arxiv.org/abs/YYMM.NNNNNvV`, parsed without the general parser.
    static func fastArxivID(_ id: String) -> ArxivID? {
        var utf8 = Substring(id).utf8
        for prefix in ["http://arxiv.org/abs/", "https://arxiv.org/abs/"] where id.hasPrefix(prefix) {
            utf8 = utf8.dropFirst(prefix.utf8.count)
        }
        let bytes = Array(utf8)
        // YYMM.NNNN or YYMM.NNNNN, then optional vN.
        guard bytes.count >= 9, bytes[4] == UInt8(ascii: "."),
              bytes[0..<4].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var i = 5
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        let digits = i - 5
        guard digits == 4 || digits == 5 else { return nil }
        let month = Int(bytes[2] - 0x30) * 10 + Int(bytes[3] - 0x30)
        guard (1...12).contains(month) else { return nil }
        var version: Int?
        if i < bytes.count {
            guard bytes[i] == UInt8(ascii: "v"), i + 1 < bytes.count else { return nil }
            var v = 0
            for b in bytes[(i + 1)...] {
                guard b >= 0x30, b <= 0x39, v < 100_000 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            version = v
        }
        return ArxivID(base: String(decoding: bytes[0..<i], as: UTF8.self), version: version)
    }

    /// `<link href rel title>`: keyed by title when it has one (`pdf`, `doi`), else by rel.
    private mutating func readLink() {
        var href: String?
        var rel: String?
        var title: String?
        if xmlTextReaderMoveToFirstAttribute(reader) == 1 {
            repeat {
                guard let name = xmlTextReaderConstLocalName(reader), let value = xmlTextReaderConstValue(reader) else { continue }
                if name == attrHref || xmlStrEqual(name, attrHref) != 0 { href = String(cString: value) }
                else if name == attrRel || xmlStrEqual(name, attrRel) != 0 { rel = String(cString: value) }
                else if name == attrTitle || xmlStrEqual(name, attrTitle) != 0 { title = String(cString: value) }
            } while xmlTextReaderMoveToNextAttribute(reader) == 1
            xmlTextReaderMoveToElement(reader)
        }
        guard let href, !href.isEmpty else { return }
        let key = title ?? rel ?? "alternate"
        if record!.links[key] == nil { record!.links[key] = href }
        if key == "doi", record!.doi == nil { record!.doi = DOI.normalise(href) }
    }

    /// The value of attribute `name` of the current element, read without copying the attribute list.
    private mutating func attribute(_ name: UnsafePointer<xmlChar>?) -> String? {
        guard let name else { return nil }
        var found: String?
        if xmlTextReaderMoveToFirstAttribute(reader) == 1 {
            repeat {
                if let local = xmlTextReaderConstLocalName(reader), local == name || xmlStrEqual(local, name) != 0,
                   let value = xmlTextReaderConstValue(reader) {
                    var bytes: [UInt8] = []
                    var p = value
                    while p.pointee != 0 { bytes.append(p.pointee); p += 1 }
                    found = Self.normalised(&bytes)
                    break
                }
            } while xmlTextReaderMoveToNextAttribute(reader) == 1
            xmlTextReaderMoveToElement(reader)
        }
        return found
    }

    /// The collected text with runs of whitespace collapsed to one space and the ends trimmed.
    private mutating func normalisedText() -> String {
        Self.normalised(&text)
    }

    /// `bytes` as a String with runs of XML whitespace collapsed to one space and the ends trimmed
    /// (compacted in place).
    static func normalised(_ bytes: inout [UInt8]) -> String {
        var out = 0
        var pendingSpace = false
        let count = bytes.count
        bytes.withUnsafeMutableBufferPointer { buf in
            var i = 0
            while i < count {
                let c = buf[i]
                if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D {
                    pendingSpace = out > 0
                } else {
                    if pendingSpace {
                        buf[out] = 0x20
                        out += 1
                        pendingSpace = false
                    }
                    buf[out] = c
                    out += 1
                }
                i += 1
            }
        }
        return String(decoding: bytes[0..<out], as: UTF8.self)
    }
}
