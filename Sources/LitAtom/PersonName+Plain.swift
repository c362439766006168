// Names as the arXiv API writes them ("Given Middle Family", "Joost van der Putten", "H1 Collaboration")
// split into given and family parts for matching and keys. Runs once per author of every entry, so
// it scans the UTF-8 bytes and allocates only the two parts.
import LitModel

extension PersonName {
    private static let particles: [[UInt8]] = [
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "ter", "ten", "zu", "bin", "al",
    ].map { Array($0.utf8) }
    private static let suffixes: [[UInt8]] = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"].map { Array($0.utf8) }
    private static let groupWords: [[UInt8]] = ["collaboration", "team", "consortium", "group", "project"].map { Array($0.utf8) }

    /// Whether `word` equals `lower` ignoring ASCII case.
    private static func equalsIgnoringCase(_ word: ArraySlice<UInt8>, _ lower: [UInt8]) -> Bool {
        guard word.count == lower.count else { return false }
        var i = 0
        for b in word {
            let folded = (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b
            if folded != lower[i] { return false }
            i += 1
        }
        return true
    }

    /// Splits a plain display name: the last word is the family name, with lower-case particles before
    /// it (`van der Putten`); a trailing `Jr.` stays out; collaborations keep the whole name as family.
    init(plain name: String) {
        let bytes = Array(name.utf8)
        var words: [Range<Int>] = []
        var start = -1
        for (i, b) in bytes.enumerated() {
            if b == 0x20 {
                if start >= 0 { words.append(start..<i); start = -1 }
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { words.append(start..<bytes.count) }
        func word(_ r: Range<Int>) -> ArraySlice<UInt8> { bytes[r] }
        if words.count < 2 || words.contains(where: { r in Self.groupWords.contains { Self.equalsIgnoringCase(word(r), $0) } }) {
            self.init(display: name, family: name, given: "")
            return
        }
        var suffix: Range<Int>?
        if words.count > 2, let last = words.last, Self.suffixes.contains(where: { Self.equalsIgnoringCase(word(last), $0) }) {
            suffix = words.removeLast()
            let end = words[words.count - 1]
            if bytes[end.upperBound - 1] == UInt8(ascii: ",") { words[words.count - 1] = end.lowerBound..<(end.upperBound - 1) }
        }
        var first = words.count - 1
        while first > 1 {
            let candidate = word(words[first - 1])
            guard let lead = candidate.first, lead >= 0x61, lead <= 0x7A,
                  Self.particles.contains(where: { candidate.elementsEqual($0) }) else { break }
            first -= 1
        }
        var family = String(decoding: bytes[words[first].lowerBound..<words[words.count - 1].upperBound], as: UTF8.self)
        if let suffix { family += ", " + String(decoding: bytes[suffix], as: UTF8.self) }
        let given = first > 0 ? String(decoding: bytes[words[0].lowerBound..<words[first - 1].upperBound], as: UTF8.self) : ""
        self.init(display: name, family: family, given: given)
    }
}
