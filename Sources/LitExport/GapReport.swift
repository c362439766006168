// The gap report: from the links between papers and the taxonomy, the method × model-class matrix
// (a paper counts in a cell when it is linked to the method or one of its specialisations and to the
// class or one of its specialisations), the thin cells ranked as transfer opportunities, the
// taxonomy's gaps with the papers addressing them, and papers per cell per year. Values only; the
// rows come from the saved queries in Queries/ (or the store), the text from `GapReportWriter`.
import Foundation
import LitStore

/// What the report is computed from: taxonomy entries and the links of papers to them.
public struct GapData: Sendable {
    public var methods: [TaxonomyNodeView]
    public var modelClasses: [TaxonomyNodeView]
    public var gaps: [TaxonomyNodeView]
    /// Every (method, model class, paper) triple of direct links, by taxonomy id.
    public var links: [(method: String, modelClass: String, paper: PaperSummary)]
    /// Gap id → ids of the methods and model classes it concerns.
    public var concerns: [String: [String]]
    /// Gap id → papers addressing it.
    public var addressing: [String: [PaperSummary]]

    public init(methods: [TaxonomyNodeView], modelClasses: [TaxonomyNodeView], gaps: [TaxonomyNodeView],
                links: [(method: String, modelClass: String, paper: PaperSummary)],
                concerns: [String: [String]], addressing: [String: [PaperSummary]]) {
        self.methods = methods
        self.modelClasses = modelClasses
        self.gaps = gaps
        self.links = links
        self.concerns = concerns
        self.addressing = addressing
    }

    /// Reads the data from the store's domain tables.
    public static func read(from store: GraphStore) throws -> GapData {
        let entries = try store.taxonomyEntries()
        let byNode = Dictionary(entries.map { ($0.node, $0.id) }, uniquingKeysWith: { a, _ in a })
        let links = try store.methodClassPapers().compactMap { row -> (method: String, modelClass: String, paper: PaperSummary)? in
            guard let m = byNode[row.method], let c = byNode[row.modelClass] else { return nil }
            return (m, c, row.paper)
        }
        var concerns: [String: [String]] = [:]
        for (gap, targets) in try store.gapConcerns() {
            guard let id = byNode[gap] else { continue }
            concerns[id] = targets.compactMap { byNode[$0] }
        }
        var addressing: [String: [PaperSummary]] = [:]
        for (gap, papers) in try store.gapPapers() {
            guard let id = byNode[gap] else { continue }
            addressing[id] = papers
        }
        return GapData(methods: entries.filter { $0.label == "Method" },
                       modelClasses: entries.filter { $0.label == "ModelClass" },
                       gaps: entries.filter { $0.label == "Gap" }, links: links, concerns: concerns, addressing: addressing)
    }
}

/// The report, ready to print in any format.
public struct GapReport: Codable, Sendable, Equatable {
    public struct Axis: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var parent: String?
        /// 0 for a root, 1 for its children, …
        public var depth: Int
        /// True when no entry specialises it.
        public var leaf: Bool
    }

    public struct Paper: Codable, Sendable, Equatable {
        public var key: String?
        public var arxiv: String?
        public var title: String?
        public var year: Int?

        public var handle: String { key ?? arxiv.map { "arXiv:\($0)" } ?? "?" }
    }

    /// An empty or thin cell of a method established on other model classes.
    public struct Opportunity: Codable, Sendable, Equatable {
        public var method: String
        public var modelClass: String
        /// Papers in this cell.
        public var papers: Int
        /// Distinct papers using the method on model classes unrelated to this one.
        public var papersElsewhere: Int
        /// Model classes unrelated to this one where the method has at least `established` papers, most first.
        public var establishedOn: [String]
        /// Papers studying the model class with any method.
        public var classPapers: Int
    }

    public struct GapStatus: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var concerns: [String]
        /// `open` when no paper addresses it, else `addressed`.
        public var status: String
        /// Newest first.
        public var papers: [Paper]
    }

    public struct YearRow: Codable, Sendable, Equatable {
        public var method: String
        public var modelClass: String
        /// Counts aligned with `years`.
        public var counts: [Int]
        public var total: Int
    }

    public var methods: [Axis]
    public var modelClasses: [Axis]
    /// `matrix[i][j]`: papers for `methods[i]` × `modelClasses[j]`.
    public var matrix: [[Int]]
    /// Papers linked to each method / model class with any model class / method.
    public var methodTotals: [Int]
    public var classTotals: [Int]
    /// A cell with at most this many papers is thin.
    public var thin: Int
    /// A method with at least this many papers on a class is established there.
    public var established: Int
    public var opportunities: [Opportunity]
    public var gaps: [GapStatus]
    public var years: [Int]
    public var timeline: [YearRow]
}

/// Computes a `GapReport` and the papers behind any cell.
public struct GapReportBuilder: Sendable {
    public let data: GapData
    /// Entry id → itself and every entry that specialises it, transitively.
    let methodFamily: [String: Set<String>]
    let classFamily: [String: Set<String>]

    public init(data: GapData) {
        self.data = data
        methodFamily = Self.families(data.methods)
        classFamily = Self.families(data.modelClasses)
    }

    static func families(_ entries: [TaxonomyNodeView]) -> [String: Set<String>] {
        var children: [String: [String]] = [:]
        for e in entries { if let p = e.parent { children[p, default: []].append(e.id) } }
        var out: [String: Set<String>] = [:]
        for e in entries {
            var family: Set<String> = [e.id]
            var stack = children[e.id] ?? []
            while let next = stack.popLast() {
                if family.insert(next).inserted { stack += children[next] ?? [] }
            }
            out[e.id] = family
        }
        return out
    }

    static func axes(_ entries: [TaxonomyNodeView]) -> [GapReport.Axis] {
        let parents = Dictionary(entries.map { ($0.id, $0.parent) }, uniquingKeysWith: { a, _ in a })
        let withChildren = Set(entries.compactMap(\.parent))
        // Depth-first in taxonomy order, children under their parent.
        var ordered: [TaxonomyNodeView] = []
        var placed = Set<String>()
        func place(_ e: TaxonomyNodeView) {
            guard placed.insert(e.id).inserted else { return }
            ordered.append(e)
            for child in entries where child.parent == e.id { place(child) }
        }
        for e in entries where e.parent == nil || parents[e.parent!] == nil { place(e) }
        for e in entries { place(e) }
        return ordered.map { e in
            var depth = 0
            var current = e.parent
            var seen = Set<String>()
            while let p = current, seen.insert(p).inserted, let next = parents[p] {
                depth += 1
                current = next
            }
            return GapReport.Axis(id: e.id, name: e.name, parent: e.parent, depth: depth, leaf: !withChildren.contains(e.id))
        }
    }

    static func paper(_ p: PaperSummary) -> GapReport.Paper {
        GapReport.Paper(key: p.key, arxiv: p.arxiv, title: p.title, year: p.year)
    }

    /// Newest first, then by title and handle.
    static func newestFirst(_ a: GapReport.Paper, _ b: GapReport.Paper) -> Bool {
        if (a.year ?? 0) != (b.year ?? 0) { return (a.year ?? 0) > (b.year ?? 0) }
        if (a.title ?? "") != (b.title ?? "") { return (a.title ?? "") < (b.title ?? "") }
        return a.handle < b.handle
    }

    /// The papers counted in the cell `method` × `modelClass`, newest first; nil when either id is unknown.
    public func papers(method: String, modelClass: String) -> [GapReport.Paper]? {
        guard let mf = methodFamily[method], let cf = classFamily[modelClass] else { return nil }
        var seen = Set<Int64>()
        var out: [GapReport.Paper] = []
        for link in data.links where mf.contains(link.method) && cf.contains(link.modelClass) {
            if seen.insert(link.paper.id).inserted { out.append(Self.paper(link.paper)) }
        }
        return out.sorted(by: Self.newestFirst)
    }

    public func report(thin: Int = 1, established: Int = 2, top: Int = 15) -> GapReport {
        let methods = Self.axes(data.methods), classes = Self.axes(data.modelClasses)
        // Papers per (method, class) with roll-up, and per method / class.
        var cell: [String: [String: Set<Int64>]] = [:]
        var methodPapers: [String: Set<Int64>] = [:], classPapers: [String: Set<Int64>] = [:]
        var paperYear: [Int64: Int] = [:]
        let methodAncestors = Self.ancestors(data.methods), classAncestors = Self.ancestors(data.modelClasses)
        for link in data.links {
            if let y = link.paper.year { paperYear[link.paper.id] = y }
            for m in methodAncestors[link.method] ?? [link.method] {
                methodPapers[m, default: []].insert(link.paper.id)
                for c in classAncestors[link.modelClass] ?? [link.modelClass] {
                    cell[m, default: [:]][c, default: []].insert(link.paper.id)
                }
            }
            for c in classAncestors[link.modelClass] ?? [link.modelClass] {
                classPapers[c, default: []].insert(link.paper.id)
            }
        }
        let matrix = methods.map { m in classes.map { c in cell[m.id]?[c.id]?.count ?? 0 } }

        // Transfer opportunities: cells of leaf methods × model classes (all but umbrella roots) that
        // are empty or thin while the method is established on classes unrelated to the cell's class.
        let candidateClasses = classes.filter { $0.leaf || $0.depth > 0 }
        let related = Dictionary(classes.map { c in
            (c.id, Set(classAncestors[c.id] ?? [c.id]).union(classFamily[c.id] ?? [c.id]))
        }, uniquingKeysWith: { a, _ in a })
        var opportunities: [GapReport.Opportunity] = []
        for m in methods where m.leaf {
            for c in candidateClasses {
                let here = cell[m.id]?[c.id] ?? []
                guard here.count <= thin else { continue }
                var elsewhere = Set<Int64>()
                var establishedOn: [(String, Int)] = []
                for other in candidateClasses where !(related[c.id] ?? []).contains(other.id) {
                    let papers = cell[m.id]?[other.id] ?? []
                    elsewhere.formUnion(papers)
                    if papers.count >= established { establishedOn.append((other.id, papers.count)) }
                }
                elsewhere.subtract(here)
                guard !establishedOn.isEmpty else { continue }
                establishedOn.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
                opportunities.append(.init(method: m.id, modelClass: c.id, papers: here.count,
                                           papersElsewhere: elsewhere.count, establishedOn: establishedOn.map(\.0),
                                           classPapers: classPapers[c.id]?.count ?? 0))
            }
        }
        opportunities.sort {
            ($0.establishedOn.count, $0.papersElsewhere, $0.classPapers, -$0.papers)
                != ($1.establishedOn.count, $1.papersElsewhere, $1.classPapers, -$1.papers)
                ? ($0.establishedOn.count, $0.papersElsewhere, $0.classPapers, -$0.papers)
                    > ($1.establishedOn.count, $1.papersElsewhere, $1.classPapers, -$1.papers)
                : ($0.method, $0.modelClass) < ($1.method, $1.modelClass)
        }
        if opportunities.count > top { opportunities = Array(opportunities.prefix(top)) }

        // The taxonomy's gaps.
        let gaps = data.gaps.map { gap -> GapReport.GapStatus in
            var seen = Set<Int64>()
            let papers = (data.addressing[gap.id] ?? []).filter { seen.insert($0.id).inserted }.map(Self.paper)
                .sorted(by: Self.newestFirst)
            return .init(id: gap.id, name: gap.name, concerns: data.concerns[gap.id] ?? [],
                         status: papers.isEmpty ? "open" : "addressed", papers: papers)
        }

        // Papers per cell (leaf methods × model classes but umbrella roots) per year.
        let years = Array(Set(paperYear.values)).sorted()
        var timeline: [GapReport.YearRow] = []
        for m in methods where m.leaf {
            for c in candidateClasses {
                let papers = cell[m.id]?[c.id] ?? []
                guard !papers.isEmpty else { continue }
                var counts = Array(repeating: 0, count: years.count)
                for p in papers { if let y = paperYear[p], let k = years.firstIndex(of: y) { counts[k] += 1 } }
                timeline.append(.init(method: m.id, modelClass: c.id, counts: counts, total: papers.count))
            }
        }
        return GapReport(methods: methods, modelClasses: classes, matrix: matrix,
                         methodTotals: methods.map { methodPapers[$0.id]?.count ?? 0 },
                         classTotals: classes.map { classPapers[$0.id]?.count ?? 0 },
                         thin: thin, established: established, opportunities: opportunities, gaps: gaps,
                         years: years, timeline: timeline)
    }

    /// Entry id → itself and its ancestors.
    static func ancestors(_ entries: [TaxonomyNodeView]) -> [String: [String]] {
        let parents = Dictionary(entries.map { ($0.id, $0.parent) }, uniquingKeysWith: { a, _ in a })
        var out: [String: [String]] = [:]
        for e in entries {
            var chain = [e.id]
            var current = e.parent
            while let p = current, !chain.contains(p), parents.keys.contains(p) {
                chain.append(p)
                current = parents[p] ?? nil
            }
            out[e.id] = chain
        }
        return out
    }
}
