// The gap report: from the links between papers and the taxonomy, the method × model-class matrix
// (a paper counts in a cell when it is linked to the method or one of its specialisations and to the
// class or one of its specialisations), the thin cells ranked as transfer opportunities, the
// taxonomy's gaps with the papers addressing them, and papers per cell per year. Values only; the
// counts come from the saved queries in Queries/ (already aggregated: no per-paper rows for the
// matrix), the text from `GapReportWriter`.
import Foundation
import LitStore

/// Papers of one cell of the matrix in one year, as the gap-matrix query counts them.
public struct GapCellCount: Sendable, Equatable {
    public var method: String
    public var modelClass: String
    /// nil for papers without a year.
    public var year: Int?
    public var papers: Int

    public init(method: String, modelClass: String, year: Int?, papers: Int) {
        self.method = method
        self.modelClass = modelClass
        self.year = year
        self.papers = papers
    }
}

/// What the report is computed from: the taxonomy entries, the paper counts of the saved queries,
/// and the two questions asked only for the cells that need them.
public struct GapData: Sendable {
    public var methods: [TaxonomyNodeView]
    public var modelClasses: [TaxonomyNodeView]
    public var gaps: [TaxonomyNodeView]
    /// Papers per (method, model class, year), an entry counting the papers of its specialisations.
    public var cells: [GapCellCount]
    /// Method id → papers linked to it (or a specialisation) and to any model class.
    public var methodTotals: [String: Int]
    /// Model class id → papers linked to it (or a specialisation) and to any method.
    public var classTotals: [String: Int]
    /// Gap id → ids of the methods and model classes it concerns.
    public var concerns: [String: [String]]
    /// Gap id → papers addressing it.
    public var addressing: [String: [PaperSummary]]
    /// Papers using a method (directly) on one of `classes` and on none of `excluding`.
    public var papersElsewhere: @Sendable (_ method: String, _ classes: [String], _ excluding: [String]) throws -> Int
    /// The papers of the cell `method` × `modelClass` (specialisations included).
    public var cellPapers: @Sendable (_ method: String, _ modelClass: String) throws -> [PaperSummary]

    public init(methods: [TaxonomyNodeView], modelClasses: [TaxonomyNodeView], gaps: [TaxonomyNodeView],
                cells: [GapCellCount], methodTotals: [String: Int], classTotals: [String: Int],
                concerns: [String: [String]], addressing: [String: [PaperSummary]],
                papersElsewhere: @escaping @Sendable (String, [String], [String]) throws -> Int,
                cellPapers: @escaping @Sendable (String, String) throws -> [PaperSummary]) {
        self.methods = methods
        self.modelClasses = modelClasses
        self.gaps = gaps
        self.cells = cells
        self.methodTotals = methodTotals
        self.classTotals = classTotals
        self.concerns = concerns
        self.addressing = addressing
        self.papersElsewhere = papersElsewhere
        self.cellPapers = cellPapers
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
    public func papers(method: String, modelClass: String) throws -> [GapReport.Paper]? {
        guard methodFamily[method] != nil, classFamily[modelClass] != nil else { return nil }
        var seen = Set<Int64>()
        return try data.cellPapers(method, modelClass).filter { seen.insert($0.id).inserted }.map(Self.paper)
            .sorted(by: Self.newestFirst)
    }

    public func report(thin: Int = 1, established: Int = 2, top: Int = 15) throws -> GapReport {
        let methods = Self.axes(data.methods), classes = Self.axes(data.modelClasses)
        // Papers per (method, class), all years together, and per year.
        var cell: [String: [String: Int]] = [:]
        var perYear: [String: [String: [Int: Int]]] = [:]
        var yearSet = Set<Int>()
        for count in data.cells {
            cell[count.method, default: [:]][count.modelClass, default: 0] += count.papers
            if let y = count.year {
                perYear[count.method, default: [:]][count.modelClass, default: [:]][y, default: 0] += count.papers
                yearSet.insert(y)
            }
        }
        let matrix = methods.map { m in classes.map { c in cell[m.id]?[c.id] ?? 0 } }

        // Transfer opportunities: cells of leaf methods × model classes (all but umbrella roots) that
        // are empty or thin while the method is established on classes unrelated to the cell's class.
        let candidateClasses = classes.filter { $0.leaf || $0.depth > 0 }
        let classAncestors = Self.ancestors(data.modelClasses)
        let related = Dictionary(classes.map { c in
            (c.id, Set(classAncestors[c.id] ?? [c.id]).union(classFamily[c.id] ?? [c.id]))
        }, uniquingKeysWith: { a, _ in a })
        var opportunities: [GapReport.Opportunity] = []
        for m in methods where m.leaf {
            for c in candidateClasses {
                let here = cell[m.id]?[c.id] ?? 0
                guard here <= thin else { continue }
                let others = candidateClasses.filter { !(related[c.id] ?? []).contains($0.id) }
                var establishedOn: [(String, Int)] = []
                for other in others {
                    let papers = cell[m.id]?[other.id] ?? 0
                    if papers >= established { establishedOn.append((other.id, papers)) }
                }
                guard !establishedOn.isEmpty else { continue }
                establishedOn.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
                // Papers on any unrelated class (a specialisation of one counts), none on this one.
                let elsewhere = Set(others.flatMap { classFamily[$0.id] ?? [$0.id] })
                let excluding = classFamily[c.id] ?? [c.id]
                let papersElsewhere = try data.papersElsewhere(m.id, elsewhere.sorted(), excluding.sorted())
                opportunities.append(.init(method: m.id, modelClass: c.id, papers: here,
                                           papersElsewhere: papersElsewhere, establishedOn: establishedOn.map(\.0),
                                           classPapers: data.classTotals[c.id] ?? 0))
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
        let years = yearSet.sorted()
        var timeline: [GapReport.YearRow] = []
        for m in methods where m.leaf {
            for c in candidateClasses {
                let total = cell[m.id]?[c.id] ?? 0
                guard total > 0 else { continue }
                let counts = years.map { perYear[m.id]?[c.id]?[$0] ?? 0 }
                timeline.append(.init(method: m.id, modelClass: c.id, counts: counts, total: total))
            }
        }
        return GapReport(methods: methods, modelClasses: classes, matrix: matrix,
                         methodTotals: methods.map { data.methodTotals[$0.id] ?? 0 },
                         classTotals: classes.map { data.classTotals[$0.id] ?? 0 },
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
