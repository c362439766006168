// The Atom stage: a streaming reader of arXiv API feeds on libxml2's SAX2 push parser. The file is
// fed to the parser in blocks (memory does not grow with the file) and no tree is built: the parser's
// start, end and text events drive a small state machine that turns each <entry> into a WorkRecord
// handed to a callback. libxml2's structured errors and the API's error feed become Diagnostics.
// This is the only file that imports libxml2; no C type leaves it.
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
    /// `onRecord` stops the read and is rethrown. With `hashing`, the bytes are hashed on the way. `progress` receives the bytes read so far after each block (128 KB) of the file.
    @discardableResult
    public static func read(path: String, displayPath: String? = nil, hashing: Bool = false,
                            progress: ((Int64) -> Void)? = nil,
                            onRecord: (WorkRecord) throws -> Void) throws -> AtomReadResult {
        let shown = displayPath ?? path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            var result = AtomReadResult()
            result.diagnostics.append(.error("atom.unreadable", "cannot open '\(shown)': \(String(cString: strerror(errno)))",
                                             at: SourceSpan(file: shown, line: 1, column: 1)))
            return result
        }
        defer { close(fd) }
        let input = FileInput(fd: fd, hashing: hashing)
        return try withoutActuallyEscaping(onRecord) { onRecord in
            // The walk lives at a fixed address for the whole parse and is reached through a pointer
            // from every event: no reference counting and no exclusivity bookkeeping per event.
            let walker = UnsafeMutablePointer<FeedWalker>.allocate(capacity: 1)
            walker.initialize(to: FeedWalker(file: shown, onRecord: onRecord))
            defer {
                walker.deinitialize(count: 1)
                walker.deallocate()
            }
            let inputBox = Unmanaged.passRetained(input)
            defer { inputBox.release() }
            var handler = FeedWalker.handler()
            // libxml2's own (pull) parser, reading through `FileInput`: it asks for bytes as it needs
            // them, so no look-ahead for complete tags as a push parser does.
            guard let context = xmlCreateIOParserCtxt(&handler, walker, { context, buffer, length in
                guard let context, let buffer, length > 0 else { return 0 }
                return Unmanaged<FileInput>.fromOpaque(context)._withUnsafeGuaranteedRef {
                    $0.fill(buffer, Int(length))
                }
            }, nil, inputBox.toOpaque(), XML_CHAR_ENCODING_NONE) else {
                var result = AtomReadResult()
                result.diagnostics.append(.error("atom.unreadable", "cannot read '\(shown)'",
                                                 at: SourceSpan(file: shown, line: 1, column: 1)))
                return result
            }
            defer { xmlFreeParserCtxt(context) }
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue)
            xmlCtxtUseOptions(context, options)
            walker.pointee.start(context)
            input.progress = progress
            xmlParseDocument(context)
            input.progress = nil
            if let error = walker.pointee.thrown { throw error }
            if input.failed {
                walker.pointee.add(.error("atom.unreadable", "cannot read '\(shown)': \(String(cString: strerror(input.readErrno)))",
                                          at: SourceSpan(file: shown, line: 1, column: 1)))
            }
            if context.pointee.wellFormed == 0 && !walker.pointee.failed {
                let line = Int(context.pointee.input?.pointee.line ?? 1)
                let column = Int(context.pointee.input?.pointee.col ?? 1)
                walker.pointee.add(.error("atom.xml", "malformed XML: the parser stopped",
                                          at: SourceSpan(file: shown, line: max(1, line), column: max(1, column))))
            }
            var result = walker.pointee.result
            var diagnostics = walker.pointee.diagnostics
            if walker.pointee.failed, input.atEnd, let line = walker.pointee.openEntryLine,
               let first = diagnostics.firstIndex(where: { $0.severity == .error }) {
                diagnostics[first].notes.append("the file ends inside the <entry> opened at line \(line); is it truncated?")
            }
            if hashing, !walker.pointee.failed {
                // Hash what was not read (nothing, unless the walk stopped early).
                input.drain()
                result.sha256 = input.hash.hexDigest()
            }
            result.bytes = input.bytes
            result.diagnostics.insert(contentsOf: diagnostics, at: 0)
            return result
        }
    }
}

/// The file as the parser reads it: read from disk in large blocks, each hashed once, then handed
/// to the parser in the pieces it asks for. One pass over the file.
private final class FileInput {
    let fd: Int32
    var hash = SHA256()
    /// Bytes read from the file so far.
    var bytes: Int64 = 0
    var atEnd = false
    /// Whether reading failed, and the `errno` it failed with.
    var failed = false
    var readErrno: Int32 = 0
    let hashing: Bool
    /// Called with `bytes` after each block read from the file.
    var progress: ((Int64) -> Void)?
    static let blockSize = 1 << 17
    let block = UnsafeMutablePointer<UInt8>.allocate(capacity: FileInput.blockSize)
    /// The part of `block` not yet handed to the parser.
    private var start = 0
    private var end = 0

    init(fd: Int32, hashing: Bool) {
        self.fd = fd
        self.hashing = hashing
    }

    deinit { block.deallocate() }

    /// Copies up to `length` bytes of the file to `buffer`: their count, 0 at the end, -1 on a read error.
    func fill(_ buffer: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32 {
        if start == end {
            let n = next()
            if n <= 0 { return Int32(n) }
            start = 0
            end = n
        }
        let count = min(length, end - start)
        UnsafeMutableRawPointer(buffer).copyMemory(from: block + start, byteCount: count)
        start += count
        return Int32(count)
    }

    /// Reads the next block into `block`: its size, 0 at the end, -1 on a read error.
    private func next() -> Int {
        guard !atEnd, !failed else { return failed ? -1 : 0 }
        var n: Int
        repeat { n = Foundation.read(fd, block, FileInput.blockSize) } while n < 0 && errno == EINTR
        guard n >= 0 else {
            failed = true
            readErrno = errno
            return -1
        }
        if n == 0 { atEnd = true; return 0 }
        if hashing { hash.update(UnsafeRawBufferPointer(start: block, count: n)) }
        bytes += Int64(n)
        progress?(bytes)
        return n
    }

    /// Reads (and hashes) the rest of the file.
    func drain() {
        start = end
        while next() > 0 {}
    }
}

/// The elements the reader acts on; anything else is skipped.
private enum Tag: UInt8 {
    case feed, entry, id, title, summary, updated, published, author, name, affiliation,
         link, category, primaryCategory, doi, journalRef, comment,
         totalResults, startIndex, itemsPerPage, other
}

/// The walk over one feed: a small state machine driven by the parser's SAX2 events, which reach it
/// through the pointer `read` hands the parser as its user data. The hot path makes no String per
/// event: element names are compared as interned pointers, namespaces as C strings, and text is
/// gathered as bytes; Strings are built only for the values a record keeps.
private struct FeedWalker {
    let file: String
    var result = AtomReadResult()
    let onRecord: (WorkRecord) throws -> Void
    private var context: xmlParserCtxtPtr?

    /// libxml2's errors and warnings, and the error that stopped the read, if any.
    var diagnostics: [Diagnostic] = []
    /// Whether an error has been recorded: the parse stops at the first.
    private(set) var failed = false
    /// What `onRecord` threw; the parse stops and the read rethrows it.
    private(set) var thrown: Error?
    /// Whether the parse was stopped (by an error or a throw).
    var stopped: Bool { failed || thrown != nil }

    // Interned names from the parser's dictionary: libxml2 hands back the same pointer for the same
    // name, so element names are compared by address.
    private var names: [(UnsafePointer<xmlChar>, Tag)] = []
    private var atomNS: UnsafePointer<xmlChar>?
    private var arxivNS: UnsafePointer<xmlChar>?
    private var opensearchNS: UnsafePointer<xmlChar>?
    private var attrHref, attrRel, attrTitle, attrTerm: UnsafePointer<xmlChar>?

    /// The tag of each open element by depth, so that an end tag needs no second lookup.
    private var open: [Tag] = []
    /// Elements open now.
    private var depth = 0

    // Current entry state.
    private var inEntry = false
    private var record = WorkRecord(via: "atom", line: 1)
    private var entryID: String?
    private var authorName: String?
    private var authorAffiliations: [String] = []
    private var inAuthor = false
    /// The element whose text is being collected, and its depth.
    private var capture: Tag?
    private var captureDepth = -1
    /// The collected text, white space already collapsed (see `appendText`).
    private var text: [UInt8] = []

    init(file: String, onRecord: @escaping (WorkRecord) throws -> Void) {
        self.file = file
        self.onRecord = onRecord
        text.reserveCapacity(4096)
        open = Array(repeating: .other, count: 16)
    }

    /// The SAX2 callbacks, each handing its event to the walker whose address is the parser's user
    /// data (`read` keeps it in place for the whole parse).
    static func handler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(truncatingIfNeeded: XML_SAX2_MAGIC)
        handler.startElementNs = { data, localname, _, uri, _, _, count, _, attributes in
            guard let data, let localname else { return }
            data.assumingMemoryBound(to: FeedWalker.self).pointee
                .startElement(localname, uri, attributes: attributes, count: Int(count))
        }
        handler.endElementNs = { data, _, _, _ in
            guard let data else { return }
            data.assumingMemoryBound(to: FeedWalker.self).pointee.endElement()
        }
        let characters: charactersSAXFunc = { data, bytes, count in
            guard let data, let bytes, count > 0 else { return }
            data.assumingMemoryBound(to: FeedWalker.self).pointee
                .characters(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        handler.characters = characters
        handler.ignorableWhitespace = characters
        handler.cdataBlock = characters
        handler.serror = { data, error in
            guard let data, let error else { return }
            data.assumingMemoryBound(to: FeedWalker.self).pointee.record(error.pointee)
        }
        return handler
    }

    /// Prepares the names to compare against, from the parser's dictionary.
    mutating func start(_ context: xmlParserCtxtPtr) {
        self.context = context
        func intern(_ s: String) -> UnsafePointer<xmlChar>? {
            s.withCString { xmlDictLookup(context.pointee.dict, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self), -1) }
        }
        let table: [(String, Tag)] = [
            ("entry", .entry), ("id", .id), ("title", .title), ("summary", .summary), ("updated", .updated),
            ("published", .published), ("author", .author), ("name", .name), ("link", .link),
            ("category", .category), ("primary_category", .primaryCategory), ("comment", .comment),
            ("affiliation", .affiliation), ("doi", .doi), ("journal_ref", .journalRef), ("feed", .feed),
            ("totalResults", .totalResults), ("startIndex", .startIndex), ("itemsPerPage", .itemsPerPage),
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

    // MARK: Errors

    /// Records one of libxml2's structured errors; the first error stops the parse.
    mutating func record(_ error: xmlError) {
        let level = error.level.rawValue
        guard level >= XML_ERR_WARNING.rawValue else { return }
        // What libxml2 reports after the first error is a cascade from the same fault.
        if failed { return }
        var message = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        let span = SourceSpan(file: file, line: max(1, Int(error.line)), column: max(1, Int(error.int2)))
        let severity: Diagnostic.Severity = level >= XML_ERR_ERROR.rawValue ? .error : .warning
        diagnostics.append(Diagnostic(severity, id: "atom.xml", "malformed XML: \(message)", at: span))
        if severity == .error { stop(failing: true) }
    }

    mutating func add(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
        if diagnostic.severity == .error { failed = true }
    }

    private mutating func stop(failing: Bool) {
        if failing { failed = true }
        if let context { xmlStopParser(context) }
    }

    // MARK: Events

    /// The tag of an element, checking its namespace so that `arxiv:comment` and an Atom
    /// `comment` (there is none) or a foreign `title` are not confused.
    private func tag(_ local: UnsafePointer<xmlChar>, _ href: UnsafePointer<xmlChar>?) -> Tag {
        var tag = Tag.other
        for (pointer, candidate) in names where pointer == local {
            tag = candidate
            break
        }
        if tag == .other {
            // Names not from the dictionary (should not happen: the parser interns every name).
            tag = names.first { xmlStrEqual($0.0, local) != 0 }?.1 ?? .other
            if tag == .other { return .other }
        }
        guard let href else { return .other }
        func isNS(_ expected: UnsafePointer<xmlChar>?) -> Bool {
            guard let expected else { return false }
            return href == expected || strcmp(UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self),
                                              UnsafeRawPointer(expected).assumingMemoryBound(to: CChar.self)) == 0
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

    /// The attributes of the element being started: (local name, URI, value start, value end) in
    /// groups of five pointers.
    private var attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    private var attributeCount = 0

    mutating func startElement(_ local: UnsafePointer<xmlChar>, _ uri: UnsafePointer<xmlChar>?,
                      attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        let tag = self.tag(local, uri)
        if depth >= open.count { open.append(contentsOf: repeatElement(.other, count: depth + 1 - open.count)) }
        open[depth] = tag
        if tag != .other {
            self.attributes = attributes
            attributeCount = count
            startElement(tag)
            self.attributes = nil
            attributeCount = 0
        }
        depth += 1
    }

    mutating func endElement() {
        guard depth > 0 else { return }
        depth -= 1
        let tag = open[depth]
        guard tag != .other, thrown == nil else { return }
        do {
            try endElement(tag)
        } catch {
            thrown = error
            stop(failing: false)
        }
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if capture != nil { appendText(bytes) }
    }

    /// The line the parser is at: at a start-tag event, the line of its end (`>`), as libxml2 records
    /// it on the element.
    private func currentLine() -> Int {
        max(1, Int(context?.pointee.input?.pointee.line ?? 1))
    }

    /// The line of the open entry's start tag, when the walk stopped inside one.
    var openEntryLine: Int? { inEntry ? record.line : nil }

    /// Appends text with each run of XML white space collapsed to one space, none at the start (also
    /// across the pieces the parser delivers one text in). A space written last may be dropped later
    /// (`collected` trims the end).
    private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) {
        WhiteSpace.appendCollapsed(bytes, to: &text, atStart: false)
    }

    /// The collected text as a String, without the space a trailing white-space run left.
    private mutating func collected() -> String {
        if text.last == 0x20 { text.removeLast() }
        return text.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    private mutating func startElement(_ tag: Tag) {
        switch tag {
        case .entry:
            record = WorkRecord(via: "atom", line: currentLine())
            record.links.reserveCapacity(3)
            record.authors.reserveCapacity(8)
            record.categories.reserveCapacity(4)
            inEntry = true
            inAuthor = false
            entryID = nil
        case .author:
            if inEntry {
                inAuthor = true
                authorName = nil
                authorAffiliations = []
            }
        case .link:
            if inEntry { readLink() }
        case .category:
            if inEntry, let term = attribute(attrTerm), !term.isEmpty, !record.categories.contains(term) {
                record.categories.append(term)
            }
        case .primaryCategory:
            if inEntry, let term = attribute(attrTerm), !term.isEmpty {
                record.primaryCategory = term
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

    private mutating func endElement(_ tag: Tag) throws {
        if let captured = capture, captured == tag, depth == captureDepth {
            capture = nil
            store(tag)
            return
        }
        switch tag {
        case .author:
            if inAuthor, inEntry {
                inAuthor = false
                if let name = authorName, !name.isEmpty {
                    var person = PersonName(plain: name)
                    person.affiliations = authorAffiliations
                    record.authors.append(person)
                }
            }
        case .entry:
            if inEntry {
                inEntry = false
                try finishEntry()
            }
        default:
            break
        }
    }

    /// Stores the collected text where it belongs.
    private mutating func store(_ tag: Tag) {
        guard inEntry else {
            let value = collected()
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
        if text.isEmpty { return }
        if inAuthor {
            switch tag {
            case .name: authorName = collected()
            case .affiliation: authorAffiliations.append(collected())
            default: break
            }
            return
        }
        switch tag {
        case .id: entryID = collected()
        case .title: record.title = collected()
        case .summary: record.abstract = collected()
        case .updated: record.updated = collected()
        case .published:
            record.published = collected()
            if let year = digits(0, 4) {
                record.year = year
                if text.count >= 7, text[4] == UInt8(ascii: "-"), let month = digits(5, 2) { record.month = month }
            }
        case .doi:
            let value = collected()
            record.doi = Self.fastDOI(text) ?? DOI.normalise(value) ?? value
        case .journalRef: record.journalRef = collected()
        case .comment: record.comment = collected()
        default: break
        }
    }

    /// The decimal number in `text[start..<start+count]`, or nil when a byte there is not a digit.
    private func digits(_ start: Int, _ count: Int) -> Int? {
        guard text.count >= start + count else { return nil }
        var value = 0
        for i in start..<(start + count) {
            let d = text[i] &- 0x30
            guard d <= 9 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    private mutating func finishEntry() throws {
        let span = SourceSpan(file: file, line: record.line, column: 1)
        guard let id = entryID else {
            result.diagnostics.append(.error("atom.entry-without-id", "entry has no <id>; it is skipped", at: span))
            return
        }
        if Self.isAPIError(id) {
            let message = record.abstract ?? record.title ?? id
            result.diagnostics.append(.error("atom.api-error", "the arXiv API returned an error: \(message)",
                                             at: span, notes: ["error id: \(id)"]))
            return
        }
        guard let arxiv = Self.fastArxivID(id) ?? ArxivID(id) else {
            result.diagnostics.append(.error("atom.bad-id", "entry id '\(id)' is not an arXiv identifier",
                                             at: span))
            return
        }
        record.arxiv = arxiv
        let alternate = record.links["alternate"]
        if arxiv.version == nil, let link = alternate, let linked = ArxivID(link),
           linked.base == arxiv.base, let version = linked.version {
            record.arxiv = ArxivID(base: arxiv.base, version: version)
        }
        if record.year == nil { record.year = arxiv.year }
        if let primary = record.primaryCategory, !record.categories.contains(primary) {
            record.categories.insert(primary, at: 0)
        }
        if alternate == nil { record.links["alternate"] = id }
        result.entries += 1
        try onRecord(record)
    }

    /// A bare DOI as `arxiv:doi` holds it (`10.…/…`, no spaces), lower-cased; nil for anything else.
    static func fastDOI(_ value: [UInt8]) -> String? {
        guard value.count > 3, value[0] == UInt8(ascii: "1"), value[1] == UInt8(ascii: "0"), value[2] == UInt8(ascii: "."),
              value.contains(UInt8(ascii: "/")),
              !value.contains(where: { $0 == 0x20 || $0 >= 0x80 }),
              let last = value.last, last != UInt8(ascii: "."), last != UInt8(ascii: ","), last != UInt8(ascii: ";")
        else { return nil }
        return String(decoding: value.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// `http(s)://arxiv.org/api/errors#…`: the id of the API's error entry.
    static func isAPIError(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { bytes in
            let needle: StaticString = "/api/errors"
            let count = needle.utf8CodeUnitCount
            guard bytes.count >= count else { return false }
            let n = needle.utf8Start
            for start in 0...(bytes.count - count) where bytes[start] == n[0] {
                var i = 1
                while i < count && bytes[start + i] == n[i] { i += 1 }
                if i == count { return true }
            }
            return false
        }
    }

    /// The usual entry id, `http(s)://arxiv.org/abs/YYMM.NNNNNvV`, parsed without the general parser.
    static func fastArxivID(_ id: String) -> ArxivID? {
        var id = id
        return id.withUTF8 { all -> ArxivID? in
            var bytes = Slice(base: all, bounds: all.indices)
            for prefix in ["http://arxiv.org/abs/", "https://arxiv.org/abs/"] as [StaticString] {
                let count = prefix.utf8CodeUnitCount
                if bytes.count >= count, UnsafeBufferPointer(start: prefix.utf8Start, count: count).elementsEqual(bytes.prefix(count)) {
                    bytes = bytes.dropFirst(count)
                    break
                }
            }
            let s = bytes.startIndex
            // YYMM.NNNN or YYMM.NNNNN, then optional vN.
            guard bytes.count >= 9, bytes[s + 4] == UInt8(ascii: "."),
                  bytes[s..<(s + 4)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            var i = s + 5
            let end = bytes.endIndex
            while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            let digits = i - s - 5
            guard digits == 4 || digits == 5 else { return nil }
            let month = Int(bytes[s + 2] - 0x30) * 10 + Int(bytes[s + 3] - 0x30)
            guard (1...12).contains(month) else { return nil }
            var version: Int?
            if i < end {
                guard bytes[i] == UInt8(ascii: "v"), i + 1 < end else { return nil }
                var v = 0
                for b in bytes[(i + 1)...] {
                    guard b >= 0x30, b <= 0x39, v < 100_000 else { return nil }
                    v = v * 10 + Int(b - 0x30)
                }
                version = v
            }
            return ArxivID(base: String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<i]), as: UTF8.self), version: version)
        }
    }

    /// `<link href rel title>`: keyed by title when it has one (`pdf`, `doi`), else by rel.
    private mutating func readLink() {
        var href: String?
        var rel: String?
        var title: String?
        forEachAttribute { name, value in
            if name == attrHref || xmlStrEqual(name, attrHref) != 0 { href = Self.string(value) }
            else if name == attrRel || xmlStrEqual(name, attrRel) != 0 { rel = Self.string(value) }
            else if name == attrTitle || xmlStrEqual(name, attrTitle) != 0 { title = Self.string(value) }
            return true
        }
        guard let href, !href.isEmpty else { return }
        let key = title ?? rel ?? "alternate"
        if record.links[key] == nil { record.links[key] = href }
        if key == "doi", record.doi == nil { record.doi = DOI.normalise(href) }
    }

    /// The value of attribute `name` of the current element, white space normalised.
    private func attribute(_ name: UnsafePointer<xmlChar>?) -> String? {
        guard let name else { return nil }
        var found: String?
        forEachAttribute { local, value in
            guard local == name || xmlStrEqual(local, name) != 0 else { return true }
            found = Self.isNormal(value) ? Self.string(value) : Self.normalised(Self.string(value))
            return false
        }
        return found
    }

    /// Calls `body` with each attribute's local name and value bytes, in document order, until it
    /// returns false.
    private func forEachAttribute(_ body: (UnsafePointer<xmlChar>, UnsafeBufferPointer<UInt8>) -> Bool) {
        guard let attributes else { return }
        for i in 0..<attributeCount {
            guard let local = attributes[5 * i], let start = attributes[5 * i + 3], let end = attributes[5 * i + 4]
            else { continue }
            if !body(local, UnsafeBufferPointer(start: start, count: end - start)) { return }
        }
    }

    /// An attribute value as a String. Without entity substitution the parser hands an `&` in an
    /// attribute value (written `&amp;` or `&#38;`) on as `&#38;`, and every other character as
    /// itself: that is undone here.
    static func string(_ value: UnsafeBufferPointer<UInt8>) -> String {
        guard value.contains(UInt8(ascii: "&")) else { return String(decoding: value, as: UTF8.self) }
        let escaped = Array("&#38;".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: "&"), i + escaped.count <= value.count,
               value[i..<(i + escaped.count)].elementsEqual(escaped) {
                out.append(UInt8(ascii: "&"))
                i += escaped.count
            } else {
                out.append(value[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `value` is as `normalised` leaves it: no white space but single spaces between words.
    static func isNormal(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous: UInt8 = 0x20
        for c in value {
            if c == 0x0A || c == 0x09 || c == 0x0D || (c == 0x20 && previous == 0x20) { return false }
            previous = c
        }
        return previous != 0x20
    }

    /// A String with runs of XML white space collapsed to one space and the ends trimmed.
    static func normalised(_ value: String) -> String {
        var value = value
        return value.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { out in
                var count = 0
                var pending = false
                for c in bytes {
                    if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D {
                        pending = count > 0
                    } else {
                        if pending {
                            out[count] = 0x20
                            count += 1
                            pending = false
                        }
                        out[count] = c
                        count += 1
                    }
                }
                return count
            }
        }
    }
}
