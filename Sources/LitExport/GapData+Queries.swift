// The gap report's data through the saved queries, run by the query engine:
// `Queries/gap-taxonomy.cypher` (the entries), `gap-matrix.cypher` (one row per paper with every
// entry it counts under), `gap-status.cypher` (the gaps), and `gap-cell.cypher`, asked only for
// `--cell`. The texts shipped in Queries/ are built in too; a folder given by the caller (or
// ./Queries) overrides them, so a user's edits to the queries change the report.
import Foundation
import LitQuery
import LitStore

public enum GapQueries {
    /// The saved queries the report is built on.
    public static let names = ["gap-taxonomy", "gap-matrix", "gap-cell", "gap-status"]

    /// The text of query `name`: `folder/NAME.cypher` when it exists, else the built-in copy.
    public static func text(_ name: String, folder: String?) -> String {
        if let folder, let text = try? String(contentsOfFile: (folder as NSString).appendingPathComponent(name + ".cypher"), encoding: .utf8) {
            return text
        }
        return builtIn[name] ?? ""
    }

    /// Where query `name` comes from, for diagnostics: its file, or `<built-in NAME.cypher>`.
    public static func path(_ name: String, folder: String?) -> String {
        if let folder {
            let file = (folder as NSString).appendingPathComponent(name + ".cypher")
            if FileManager.default.fileExists(atPath: file) { return file }
        }
        return "<built-in \(name).cypher>"
    }

    public static let builtIn: [String: String] = [
        "gap-taxonomy": """
        // Gap taxonomy: the methods, model classes and gaps of the taxonomy with their parents, in the
        // order they were ingested; the rows and columns of the gap report.
        // Parameters: none.
        MATCH (e)
        WHERE e:Method OR e:ModelClass OR e:Gap
        OPTIONAL MATCH (e)-[:SPECIALISES]->(parent)
        RETURN CASE WHEN e:Method THEN 'Method' WHEN e:ModelClass THEN 'ModelClass' ELSE 'Gap' END AS label,
               e.id AS id, e.name AS name, e.description AS description, parent.id AS parent, id(e) AS node
        ORDER BY node

        """,
        "gap-matrix": """
        // Gap matrix: every paper linked to a method and to a model class, with its year and every method
        // and model class it counts under: those it is linked to and all they specialise (a causal-tracing
        // paper counts under intervention too). One row per paper; `litgraph gaps` counts the papers of
        // each cell, method, model class and year from these rows.
        // Parameters: none.
        MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method)
        WITH p, collect(DISTINCT m.id) AS methods
        MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(c:ModelClass)
        WITH p, methods, collect(DISTINCT c.id) AS model_classes
        RETURN p.year AS year, methods, model_classes

        """,
        "gap-cell": """
        // Gap cell: the papers behind one cell of the gap matrix, linked to the method (or a specialisation)
        // and to the model class (or a specialisation), newest first (`litgraph gaps --cell METHOD:CLASS`).
        // Parameters: $method (a method id, e.g. "sparse-autoencoder"), $model_class (e.g. "diffusion-transformer").
        MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(:Method {id: $method})
        MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(:ModelClass {id: $model_class})
        RETURN DISTINCT id(p) AS node, p.key AS key, p.arxiv AS arxiv, p.year AS year, p.title AS title
        ORDER BY year DESC, title

        """,
        "gap-status": """
        // Gap status: each gap of the taxonomy with what it concerns (in the taxonomy's order) and the
        // papers addressing it, newest first. A gap no paper addresses is open.
        // Parameters: none.
        MATCH (g:Gap)
        OPTIONAL MATCH (g)-[c:CONCERNS]->(t)
        WITH g, c, t ORDER BY id(c)
        WITH g, collect(DISTINCT t.id) AS concerns
        OPTIONAL MATCH (p:Paper)-[:ADDRESSES]->(g)
        RETURN g.id AS gap, g.name AS name, concerns, id(p) AS node, p.key AS key, p.arxiv AS arxiv,
               p.title AS title, p.year AS year
        ORDER BY gap, year DESC, title

        """,
    ]
}

/// The rows of one saved query, their values looked up by column name.
struct GapRows {
    let result: QueryResult
    let index: [String: Int]

    init(_ result: QueryResult) {
        self.result = result
        index = Dictionary(result.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Each row, with a way to read its columns by name (nil for a column the query lacks).
    func map<T>(_ body: ((String) -> CypherValue?) throws -> T) rethrows -> [T] {
        try result.rows.map { row in try body { name in index[name].map { row[$0] } } }
    }
}

/// Taxonomy entry ids looked up by their UTF-8 bytes: the position of the first entry of an id.
struct EntryLookup {
    /// Every id's bytes, one after the other.
    let bytes: [UInt8]
    /// By length: where each id of that length starts in `bytes`, with its position.
    let byLength: [[(start: Int, position: Int)]]
    /// For text that is not ASCII: ids compared as strings (canonically equivalent text matches).
    let byString: [String: Int]

    init(_ entries: [TaxonomyNodeView]) {
        var bytes: [UInt8] = []
        var table: [[(start: Int, position: Int)]] = Array(repeating: [], count: (entries.map(\.id.utf8.count).max() ?? 0) + 1)
        var seen = Set<String>()
        for (position, e) in entries.enumerated() where seen.insert(e.id).inserted {
            table[e.id.utf8.count].append((bytes.count, position))
            bytes += e.id.utf8
        }
        self.bytes = bytes
        byLength = table
        byString = GapData.positions(entries)
    }

    func position(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        if text.count < byLength.count, let base = text.baseAddress {
            let found = bytes.withUnsafeBufferPointer { ids in
                byLength[text.count].first { id in ids.baseAddress.map { memcmp($0 + id.start, base, text.count) == 0 } ?? true }
            }
            if let found { return found.position }
        }
        guard text.contains(where: { $0 >= 0x80 }) else { return nil }
        return byString[String(decoding: text, as: UTF8.self)]
    }
}

/// Runs the saved gap queries on one store; a query's errors become diagnostics on its text.
struct GapQueryRunner: Sendable {
    let store: GraphStore
    let folder: String?

    func run(_ name: String, _ parameters: [String: CypherValue] = [:]) throws -> GapRows {
        let text = GapQueries.text(name, folder: folder)
        do {
            return GapRows(try QueryEngine.run(text, parameters: parameters, on: store))
        } catch let error as QueryError {
            throw error.diagnostic(source: text, file: GapQueries.path(name, folder: folder))
        }
    }

    /// Runs query `name`, handing each row to `body` as it comes with the positions of the
    /// query's columns (nil for a column the query lacks).
    func run(_ name: String, forEachRow body: (QueryRow, (String) -> Int?) throws -> Void) throws {
        let text = GapQueries.text(name, folder: folder)
        do {
            let compiled = try QueryEngine.compile(text)
            let index = Dictionary(compiled.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            try QueryEngine.execute(compiled, on: store) { row in try body(row, { index[$0] }) }
        } catch let error as QueryError {
            throw error.diagnostic(source: text, file: GapQueries.path(name, folder: folder))
        }
    }

    static func string(_ v: CypherValue?) -> String? { if case .string(let s) = v { return s }; return nil }
    static func int(_ v: CypherValue?) -> Int? { if case .int(let i) = v { return Int(i) }; return nil }
    static func strings(_ v: CypherValue?) -> [String] {
        guard case .list(let items) = v else { return [] }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for case .string(let s) in items { out.append(s) }
        return out
    }
    static func paper(_ row: (String) -> CypherValue?) -> PaperSummary? {
        guard let node = int(row("node")) else { return nil }
        return PaperSummary(id: Int64(node), key: string(row("key")), arxiv: string(row("arxiv")),
                            title: string(row("title")), year: int(row("year")))
    }
}

extension GapData {
    /// Runs the saved queries on `store` (opened with `QueryEngine.open`) and gathers their rows;
    /// `gap-cell` runs when `cellPapers` is asked. `gap-matrix` and `gap-status` are independent
    /// and run at the same time, `gap-status` on a second connection to the same file (one after
    /// the other when that connection cannot be opened); an error is the one the first of them in
    /// that order meets.
    public static func query(_ store: GraphStore, queries folder: String? = nil) throws -> GapData {
        let runner = GapQueryRunner(store: store, folder: folder)
        let string = GapQueryRunner.string, int = GapQueryRunner.int
        var methods: [TaxonomyNodeView] = [], classes: [TaxonomyNodeView] = [], gaps: [TaxonomyNodeView] = []
        let views = try runner.run("gap-taxonomy").map { row -> TaxonomyNodeView? in
            guard let label = string(row("label")), let id = string(row("id")), let node = int(row("node")) else { return nil }
            return TaxonomyNodeView(node: Int64(node), label: label, id: id, name: string(row("name")) ?? id,
                                    description: string(row("description")), parent: string(row("parent")))
        }
        for case let view? in views {
            switch view.label {
            case "Method": methods.append(view)
            case "ModelClass": classes.append(view)
            default: gaps.append(view)
            }
        }
        // Both queries read each page about once: small page caches keep the peak memory down.
        let statusRunner = (try? QueryEngine.open(path: store.path, pageCache: statusCacheKiB))
            .map { GapQueryRunner(store: $0, folder: folder) }
        let (methodEntries, classEntries) = (methods, classes)
        let (matrix, status) = try QueryEngine.withPageCache(matrixCacheKiB, on: store) {
            concurrently(statusRunner != nil, {
                Result { try matrixRows(runner, methods: methodEntries, classes: classEntries) }
            }, {
                Result { try gapStatus(statusRunner ?? runner) }
            })
        }
        let papers = try matrix.get()
        let (concerns, addressing) = try status.get()
        return GapData(methods: methods, modelClasses: classes, gaps: gaps, papers: papers, concerns: concerns,
                       addressing: addressing, cellPapers: { method, modelClass in
            try runner.run("gap-cell", ["method": .string(method), "model_class": .string(modelClass)]).map(GapQueryRunner.paper).compactMap { $0 }
        })
    }

    /// One row per paper from `gap-matrix`, read as the query runs: the ids in its lists looked up
    /// as bytes among `methods` and `classes`.
    static func matrixRows(_ runner: GapQueryRunner, methods: [TaxonomyNodeView], classes: [TaxonomyNodeView]) throws -> GapPaperRows {
        let methodIDs = EntryLookup(methods), classIDs = EntryLookup(classes)
        var papers = GapPaperRows()
        try runner.run("gap-matrix") { row, column in
            papers.startRow(year: column("year").flatMap { row.int($0) }.map { Int($0) })
            if let c = column("methods") { row.forEachString(inList: c) { if let i = methodIDs.position($0) { papers.addMethod(i) } } }
            if let c = column("model_classes") { row.forEachString(inList: c) { if let i = classIDs.position($0) { papers.addModelClass(i) } } }
        }
        return papers
    }

    /// From `gap-status`: what each gap concerns and the papers addressing it.
    static func gapStatus(_ runner: GapQueryRunner) throws -> (concerns: [String: [String]], addressing: [String: [PaperSummary]]) {
        let string = GapQueryRunner.string
        var concerns: [String: [String]] = [:], addressing: [String: [PaperSummary]] = [:]
        let status = try runner.run("gap-status").map { row -> (String, CypherValue?, PaperSummary?)? in
            guard let gap = string(row("gap")) else { return nil }
            return (gap, row("concerns"), GapQueryRunner.paper(row))
        }
        for case let (gap, listed, paper)? in status {
            if concerns[gap] == nil, case .list(let items)? = listed { concerns[gap] = items.compactMap(string) }
            if let paper { addressing[gap, default: []].append(paper) }
        }
        return (concerns, addressing)
    }

    /// The page cache (KiB) of the connection running `gap-matrix` while it runs, and of the
    /// second connection, running `gap-status`.
    static let matrixCacheKiB = 8192, statusCacheKiB = 2048

    /// `first` and `second`, on two threads when `parallel`, else one after the other.
    static func concurrently<A: Sendable, B: Sendable>(_ parallel: Bool, _ first: @Sendable () -> A,
                                                       _ second: @Sendable () -> B) -> (A, B) {
        guard parallel else { return (first(), second()) }
        let a = Slot<A>(), b = Slot<B>()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { a.value = first() } else { b.value = second() }
        }
        return (a.value!, b.value!)
    }

    /// A value written by one thread and read after it is joined.
    final class Slot<T>: @unchecked Sendable {
        var value: T?
    }
}
