// A paper as reports and diagrams list it: its handles, title, year and first author.
import LitModel

public struct PaperSummary: Sendable, Hashable {
    /// The node id.
    public var id: Int64
    public var key: String?
    public var arxiv: String?
    public var doi: String?
    public var title: String?
    public var year: Int?
    /// Family name of the first author (display name when no family name is stored).
    public var firstAuthor: String?
    public var authorCount: Int
    public var stub: Bool

    public init(id: Int64, key: String?, arxiv: String?, doi: String? = nil, title: String?, year: Int?,
                firstAuthor: String? = nil, authorCount: Int = 0, stub: Bool = false) {
        self.id = id
        self.key = key
        self.arxiv = arxiv
        self.doi = doi
        self.title = title
        self.year = year
        self.firstAuthor = firstAuthor
        self.authorCount = authorCount
        self.stub = stub
    }

    /// The identifier people know it by: the BibTeX key, else the arXiv id, else the node id.
    public var handle: String { key ?? arxiv.map { "arXiv:\($0)" } ?? "#\(id)" }
}
