// Uncertain matches: papers that entity resolution kept apart although they share a normalised
// title (a different first author, years far apart, or conflicting identifiers). Listed for a person
// to decide; never merged silently.
import Foundation
import LitModel
import LitStore

public struct DuplicateGroup: Sendable {
    public struct Member: Sendable {
        public var node: Int64
        public var key: String?
        public var arxiv: String?
        public var doi: String?
        public var year: Int?
        public var firstFamily: String?
        public var title: String
    }
    public var members: [Member]
    /// Why they were not merged.
    public var reason: String
}

public enum Duplicates {
    /// Groups of papers with the same normalised title, in order of their first node.
    public static func find(in store: GraphStore) throws -> [DuplicateGroup] {
        var groups: [String: [PaperMatchRow]] = [:]
        var order: [String] = []
        for row in try store.paperMatchRows() {
            guard let title = row.title else { continue }
            let key = TitleMatcher.titleKey(title)
            guard key.count >= 8 else { continue }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        return order.compactMap { key in
            guard let rows = groups[key], rows.count > 1 else { return nil }
            let families = Set(rows.map { TitleMatcher.familyKey($0.firstFamily ?? "") })
            let years = rows.compactMap(\.year)
            let arxivs = Set(rows.compactMap(\.arxiv))
            let dois = Set(rows.compactMap(\.doi))
            var reasons: [String] = []
            if families.count > 1 { reasons.append("different first authors") }
            if let lo = years.min(), let hi = years.max(), hi - lo > 3 { reasons.append("years \(lo)–\(hi)") }
            if arxivs.count > 1 { reasons.append("different arXiv ids") }
            if dois.count > 1 { reasons.append("different DOIs") }
            if reasons.isEmpty { reasons.append("more than one candidate matched") }
            let members = rows.map {
                DuplicateGroup.Member(node: $0.node, key: $0.key, arxiv: $0.arxiv, doi: $0.doi, year: $0.year,
                                      firstFamily: $0.firstFamily, title: $0.title ?? "")
            }
            return DuplicateGroup(members: members, reason: reasons.joined(separator: ", "))
        }
    }
}
