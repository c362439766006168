// Names as the arXiv API writes them ("Given Middle Family", "Joost van der Putten", "H1 Collaboration")
// split into given and family parts for matching and keys. Runs once per author of every entry, so
// it scans the UTF-8 bytes in place and allocates only the parts it returns.
import LitModel

extension PersonName {
    private static let particles: [StaticString] = [
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "ter", "ten", "zu", "bin", "al",
    ]
    private static let suffixes: [StaticString] = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"]
    private static let groupWords: [StaticString] = ["collaboration", "team", "consortium", "group", "project"]

    /// Whether `bytes[range]` equals `word`, ASCII case folded when `foldCase` is set.
    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: StaticString,
                               foldCase: Bool) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        var i = 0
        for k in range {
            var b = bytes[k]
            if foldCase, b >= 0x41, b <= 0x5A { b += 0x20 }
            if b != w[i] { return false }
            i += 1
        }
        return true
    }

    /// Splits a plain display name: the last word is the family name, with lower-case particles before
    /// it (`van der Putten`); a trailing `Jr.` stays out; collaborations keep the whole name as family.
    init(plain name: String) {
        var name = name
        let (family, given) = name.withUTF8 { bytes in Self.split(bytes) }
        self.init(display: name, family: family ?? name, given: given)
    }

    /// The family and given parts of a plain name; family is nil when it is the whole name.
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> (String?, String) {
        // Word ranges, on the stack for any usual name.
        let maxWords = bytes.count / 2 + 1
        return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: maxWords) { words in
            var count = 0
            var start = -1
            for i in 0..<bytes.count {
                if bytes[i] == 0x20 {
                    if start >= 0 { words[count] = start..<i; count += 1; start = -1 }
                } else if start < 0 {
                    start = i
                }
            }
            if start >= 0 { words[count] = start..<bytes.count; count += 1 }
            if count < 2 { return (nil, "") }
            for w in 0..<count {
                for group in groupWords where equals(bytes, words[w], group, foldCase: true) { return (nil, "") }
            }
            var suffix: Range<Int>?
            if count > 2, suffixes.contains(where: { equals(bytes, words[count - 1], $0, foldCase: true) }) {
                count -= 1
                suffix = words[count]
                let end = words[count - 1]
                if bytes[end.upperBound - 1] == UInt8(ascii: ",") { words[count - 1] = end.lowerBound..<(end.upperBound - 1) }
            }
            var first = count - 1
            while first > 1 {
                let candidate = words[first - 1]
                let lead = bytes[candidate.lowerBound]
                guard lead >= 0x61, lead <= 0x7A,
                      particles.contains(where: { equals(bytes, candidate, $0, foldCase: false) }) else { break }
                first -= 1
            }
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            var family = text(words[first].lowerBound..<words[count - 1].upperBound)
            if let suffix { family += ", " + text(suffix) }
            let given = first > 0 ? text(words[0].lowerBound..<words[first - 1].upperBound) : ""
            return (family, given)
        }
    }
}
