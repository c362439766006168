// The format-neutral description of one work as a single source states it. Atom entries and BibTeX
// entries are reduced to this before entity resolution merges them into one Paper node.
import Foundation

/// A person as a source names them, with the parts bibtex's rules split out where known.
public struct PersonName: Hashable, Sendable {
    /// The name as displayed: `Given von Family, Jr`.
    public var display: String
    /// The family name (`Last` in bibtex's terms, with `von` particles), for matching and keys.
    public var family: String
    public var given: String
    public var affiliations: [String]

    public init(display: String, family: String, given: String = "", affiliations: [String] = []) {
        self.display = display
        self.family = family
        self.given = given
        self.affiliations = affiliations
    }
}

/// One statement of a work by one source: an Atom entry or a BibTeX entry.
public struct WorkRecord: Sendable {
    /// Which format said it (`atom`, `bibtex`); becomes the `via` of the edges it yields.
    public var via: String
    /// 1-based line of the entry in its source file.
    public var line: Int
    public var arxiv: ArxivID?
    /// Every version the source lists (Atom lists one; a version history may list more).
    public var doi: String?
    public var bibKey: String?
    public var entryType: String?
    public var title: String?
    public var abstract: String?
    public var authors: [PersonName] = []
    public var year: Int?
    public var month: Int?
    /// ISO 8601 timestamps from Atom.
    public var published: String?
    public var updated: String?
    public var primaryCategory: String?
    public var categories: [String] = []
    public var journalRef: String?
    public var comment: String?
    public var venue: String?
    public var keywords: [String] = []
    /// Links by relation or title: `alternate`, `pdf`, `doi`, `url`.
    public var links: [String: String] = [:]
    /// Any further fields, kept as strings under their (lower-case) names.
    public var extra: [String: String] = [:]

    public init(via: String, line: Int) {
        self.via = via
        self.line = line
    }
}
