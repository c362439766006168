// Names as the arXiv API writes them ("Given Middle Family", "Joost van der Putten", "H1 Collaboration")
// split into given and family parts for matching and keys.
import LitModel

extension PersonName {
    private static let particles: Set<String> = [
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "ter", "ten", "zu", "bin", "al",
    ]
    private static let suffixes: Set<String> = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"]
    private static let groupWords: Set<String> = ["collaboration", "team", "consortium", "group", "project"]

    /// Splits a plain display name: the last word is the family name, with lower-case particles before
    /// it (`van der Putten`); a trailing `Jr.` stays out; collaborations keep the whole name as family.
    init(plain name: String) {
        var words = name.split(whereSeparator: { $0 == " " }).map(String.init)
        if words.contains(where: { Self.groupWords.contains($0.lowercased()) }) || words.count < 2 {
            self.init(display: name, family: name, given: "")
            return
        }
        var suffix: String?
        if words.count > 2, let last = words.last, Self.suffixes.contains(last.lowercased()) {
            suffix = words.removeLast()
            if words.last?.hasSuffix(",") == true { words[words.count - 1].removeLast() }
        }
        var start = words.count - 1
        while start > 1, Self.particles.contains(words[start - 1]) { start -= 1 }
        var family = words[start...].joined(separator: " ")
        if let suffix { family += ", " + suffix }
        self.init(display: name, family: family, given: words[..<start].joined(separator: " "))
    }
}
