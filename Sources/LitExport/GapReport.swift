// The gap report: from the links between papers and the taxonomy, the method × model-class matrix
// (a paper counts in a cell when it is linked to the method or one of its specialisations and to the
// class or one of its specialisations), the thin cells ranked as transfer opportunities, the
// taxonomy's gaps with the papers addressing them, and papers per cell per year. Values only; the
// data comes from the saved queries in Queries/ (or the store), one row per paper with every entry
// it counts under, and is counted here; the text comes from `GapReportWriter`.
import Foundation
import LitStore

/// The papers linked to a method and to a model class, one row each: its year and every entry it
/// counts under (the entries it is linked to and those they specialise, transitively), as positions
/// in `GapData.methods` and `GapData.modelClasses`, each once. Kept flat: a row costs no allocation.
public struct GapPaperRows: Sendable, Equatable {
    var years: [Int?] = []
    var methodItems: [Int32] = [], methodEnds: [Int] = []
    var classItems: [Int32] = [], classEnds: [Int] = []

    public init() {}

    public var count: Int { years.count }

    /// Starts a row: a paper and its year; its entries follow with `addMethod` and `addModelClass`.
    public mutating func startRow(year: Int?) {
        years.append(year)
        methodEnds.append(methodItems.count)
        classEnds.append(classItems.count)
    }

    /// Adds method `position` to the last row (a position it has already is left out).
    public mutating func addMethod(_ position: Int) {
        if !methodItems[methodEnds[methodEnds.count - 1]...].contains(Int32(position)) {
            methodItems.append(Int32(position))
            methodEnds[methodEnds.count - 1] = methodItems.count
        }
    }

    /// Adds model class `position` to the last row (a position it has already is left out).
    public mutating func addModelClass(_ position: Int) {
        if !classItems[classEnds[classEnds.count - 1]...].contains(Int32(position)) {
            classItems.append(Int32(position))
            classEnds[classEnds.count - 1] = classItems.count
        }
    }

    public func year(_ row: Int) -> Int? { years[row] }
    public func methods(_ row: Int) -> ArraySlice<Int32> { methodItems[(row == 0 ? 0 : methodEnds[row - 1])..<methodEnds[row]] }
    public func modelClasses(_ row: Int) -> ArraySlice<Int32> { classItems[(row == 0 ? 0 : classEnds[row - 1])..<classEnds[row]] }
}

/// What the report is computed from: taxonomy entries, the papers linked to them, and a way to
/// list the papers of one cell.
public struct GapData: Sendable {
    public var methods: [TaxonomyNodeView]
    public var modelClasses: [TaxonomyNodeView]
    public var gaps: [TaxonomyNodeView]
    /// One row per paper linked to a method and a model class.
    public var papers: GapPaperRows
    /// Gap id → ids of the methods and model classes it concerns.
    public var concerns: [String: [String]]
    /// Gap id → papers addressing it.
    public var addressing: [String: [PaperSummary]]
    /// The papers of the cell method × model class (specialisations included), in any order.
    public var cellPapers: @Sendable (_ method: String, _ modelClass: String) throws -> [PaperSummary]

    public init(methods: [TaxonomyNodeView], modelClasses: [TaxonomyNodeView], gaps: [TaxonomyNodeView],
                papers: GapPaperRows, concerns: [String: [String]], addressing: [String: [PaperSummary]],
                cellPapers: @escaping @Sendable (String, String) throws -> [PaperSummary]) {
        self.methods = methods
        self.modelClasses = modelClasses
        self.gaps = gaps
        self.papers = papers
        self.concerns = concerns
        self.addressing = addressing
        self.cellPapers = cellPapers
    }

    /// Entry id → the position of its first entry.
    static func positions(_ entries: [TaxonomyNodeView]) -> [String: Int] {
        Dictionary(entries.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Reads the data from the store's domain tables, rolling specialisations up here.
    public static func read(from store: GraphStore) throws -> GapData {
        let entries = try store.taxonomyEntries()
        let byNode = Dictionary(entries.map { ($0.node, $0.id) }, uniquingKeysWith: { a, _ in a })
        let links = try store.methodClassPapers().compactMap { row -> (method: String, modelClass: String, paper: PaperSummary)? in
            guard let m = byNode[row.method], let c = byNode[row.modelClass] else { return nil }
            return (m, c, row.paper)
        }
        let methods = entries.filter { $0.label == "Method" }, classes = entries.filter { $0.label == "ModelClass" }
        let methodAncestors = GapReportBuilder.ancestors(methods), classAncestors = GapReportBuilder.ancestors(classes)
        var perPaper: [Int64: (year: Int?, methods: Set<String>, classes: Set<String>)] = [:]
        for link in links {
            var entry = perPaper[link.paper.id] ?? (link.paper.year, [], [])
            entry.methods.formUnion(methodAncestors[link.method] ?? [link.method])
            entry.classes.formUnion(classAncestors[link.modelClass] ?? [link.modelClass])
            perPaper[link.paper.id] = entry
        }
        let methodPosition = GapData.positions(methods), classPosition = GapData.positions(classes)
        var papers = GapPaperRows()
        for id in perPaper.keys.sorted() {
            let e = perPaper[id]!
            papers.startRow(year: e.year)
            for m in e.methods.sorted() { if let i = methodPosition[m] { papers.addMethod(i) } }
            for c in e.classes.sorted() { if let i = classPosition[c] { papers.addModelClass(i) } }
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
        let methodFamily = GapReportBuilder.families(methods), classFamily = GapReportBuilder.families(classes)
        return GapData(methods: methods, modelClasses: classes, gaps: entries.filter { $0.label == "Gap" }, papers: papers,
                       concerns: concerns, addressing: addressing, cellPapers: { method, modelClass in
            let mf = methodFamily[method] ?? [], cf = classFamily[modelClass] ?? []
            return links.filter { mf.contains($0.method) && cf.contains($0.modelClass) }.map(\.paper)
        })
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

    public func report(thin: Int = 1, established: Int = 2, top: Int = 15) -> GapReport {
        let methods = Self.axes(data.methods), classes = Self.axes(data.modelClasses)
        let methodIndex = Dictionary(methods.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let classIndex = Dictionary(classes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Each paper as the axis positions it counts under, each once.
        let methodAxis = data.methods.map { methodIndex[$0.id]! }, classAxis = data.modelClasses.map { classIndex[$0.id]! }
        var rows: [(year: Int?, methods: [Int], classes: [Int])] = []
        rows.reserveCapacity(data.papers.count)
        var yearSet = Set<Int>()
        // The distinct axis positions of a paper's entries (a handful: a linear search beats a set).
        func positions(_ entries: ArraySlice<Int32>, _ axis: [Int]) -> [Int] {
            var out: [Int] = []
            out.reserveCapacity(entries.count)
            for e in entries where !out.contains(axis[Int(e)]) { out.append(axis[Int(e)]) }
            return out
        }
        for r in 0..<data.papers.count {
            let ms = positions(data.papers.methods(r), methodAxis), cs = positions(data.papers.modelClasses(r), classAxis)
            guard !ms.isEmpty && !cs.isEmpty else { continue }
            let year = data.papers.year(r)
            if let y = year { yearSet.insert(y) }
            rows.append((year, ms, cs))
        }
        let years = yearSet.sorted()
        let yearIndex = Dictionary(years.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Papers per (method, class), per (method, class, year), per method and per class.
        let nc = classes.count, ny = years.count
        var matrix = Array(repeating: Array(repeating: 0, count: nc), count: methods.count)
        var perYear = Array(repeating: 0, count: methods.count * nc * ny)
        var methodTotals = Array(repeating: 0, count: methods.count), classTotals = Array(repeating: 0, count: nc)
        var rowsOfMethod = Array(repeating: [Int](), count: methods.count)
        for (r, row) in rows.enumerated() {
            let k = row.year.flatMap { yearIndex[$0] }
            for m in row.methods {
                methodTotals[m] += 1
                rowsOfMethod[m].append(r)
                for c in row.classes {
                    matrix[m][c] += 1
                    if let k { perYear[(m * nc + c) * ny + k] += 1 }
                }
            }
            for c in row.classes { classTotals[c] += 1 }
        }

        // Transfer opportunities: cells of leaf methods × model classes (all but umbrella roots) that
        // are empty or thin while the method is established on classes unrelated to the cell's class.
        let candidateClasses = classes.enumerated().filter { $0.element.leaf || $0.element.depth > 0 }
        let classAncestors = Self.ancestors(data.modelClasses)
        let related = Dictionary(classes.map { c in
            (c.id, Set(classAncestors[c.id] ?? [c.id]).union(classFamily[c.id] ?? [c.id]))
        }, uniquingKeysWith: { a, _ in a })
        var opportunities: [GapReport.Opportunity] = []
        for (mi, m) in methods.enumerated() where m.leaf {
            for (ci, c) in candidateClasses {
                let here = matrix[mi][ci]
                guard here <= thin else { continue }
                let others = candidateClasses.filter { !(related[c.id] ?? []).contains($0.element.id) }
                var establishedOn: [(String, Int)] = []
                for (oi, other) in others where matrix[mi][oi] >= established { establishedOn.append((other.id, matrix[mi][oi])) }
                guard !establishedOn.isEmpty else { continue }
                establishedOn.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
                // Papers using the method on an unrelated class and not in this cell.
                var isOther = Array(repeating: false, count: nc)
                for (oi, _) in others { isOther[oi] = true }
                let elsewhere = rowsOfMethod[mi].count(where: { r in
                    !rows[r].classes.contains(ci) && rows[r].classes.contains { isOther[$0] }
                })
                opportunities.append(.init(method: m.id, modelClass: c.id, papers: here,
                                           papersElsewhere: elsewhere, establishedOn: establishedOn.map(\.0),
                                           classPapers: classTotals[ci]))
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
        var timeline: [GapReport.YearRow] = []
        for (mi, m) in methods.enumerated() where m.leaf {
            for (ci, c) in candidateClasses where matrix[mi][ci] > 0 {
                let counts = (0..<ny).map { perYear[(mi * nc + ci) * ny + $0] }
                timeline.append(.init(method: m.id, modelClass: c.id, counts: counts, total: matrix[mi][ci]))
            }
        }
        return GapReport(methods: methods, modelClasses: classes, matrix: matrix,
                         methodTotals: methodTotals, classTotals: classTotals,
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
