// Names as the arXiv API writes them ("Given Middle Family", "Joost van der Putten", "H1 Collaboration")
// split into given and family parts for matching and keys. Runs once per author of every entry, so
// it works on the words as substrings and allocates only the two parts.
import LitModel

extension PersonName {
    private static let particles: Set<Substring> = [
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "ter", "ten", "zu", "bin", "al",
    ]
    private static let suffixes: Set<Substring> = ["Jr", "Jr.", "jr", "jr.", "Sr", "Sr.", "sr", "sr.", "II", "III", "IV"]
    private static let groupWords: Set<Substring> = [
        "collaboration", "Collaboration", "COLLABORATION", "team", "Team", "consortium", "Consortium",
        "group", "Group", "project", "Project",
    ]

    /// Splits a plain display name: the last word is the family name, with lower-case particles before
    /// it (`van der Putten`); a trailing `Jr.` stays out; collaborations keep the whole name as family.
    init(plain name: String) {
        var words = name.split(separator: " ")
        if words.count < 2 || words.contains(where: { Self.groupWords.contains($0) }) {
            self.init(display: name, family: name, given: "")
            return
        }
        var suffix: Substring?
        if words.count > 2, let last = words.last, Self.suffixes.contains(last) {
            suffix = words.removeLast()
            if words[words.count - 1].hasSuffix(",") { words[words.count - 1] = words[words.count - 1].dropLast() }
        }
        var start = words.count - 1
        while start > 1, let first = words[start - 1].first, first.isLowercase, Self.particles.contains(words[start - 1]) {
            start -= 1
        }
        var family = words[start...].joined(separator: " ")
        if let suffix { family += ", " + suffix }
        self.init(display: name, family: family, given: words[..<start].joined(separator: " "))
    }
}
