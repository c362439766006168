// The gap report's data through the saved queries `Queries/gap-*.cypher`, run by the query engine:
// the taxonomy, the matrix counted per cell and year in the query (no per-paper rows), the totals,
// the gaps with the papers addressing them, and two parameterised queries asked only when needed (the
// papers of a method elsewhere, for ranking an opportunity; the papers of one cell, for --cell). The
// texts shipped in Queries/ are built in too; a folder given by the caller (or ./Queries) overrides
// them, so a user's edits to the queries change the report.
import Foundation
import LitQuery
import LitStore

public enum GapQueries {
    /// The saved queries the report is built on.
    public static let names = ["gap-taxonomy", "gap-matrix", "gap-totals", "gap-elsewhere", "gap-cell", "gap-status"]

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
        // Gap matrix: papers per method, model class and year. A paper counts in a cell when it is linked
        // to the method or one of its specialisations and to the model class or one of its specialisations
        // (causal tracing counts under intervention); each paper once per cell. `litgraph gaps` adds up the
        // years for the matrix and keeps them for the timeline. Papers without a year have year null.
        // Parameters: none.
        MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method)
        MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(c:ModelClass)
        RETURN m.id AS method, c.id AS model_class, p.year AS year, count(DISTINCT p) AS papers
        ORDER BY method, model_class, year

        """,
        "gap-totals": """
        // Gap totals: for each method, the papers linked to it (or a specialisation) and to any model class;
        // for each model class, the papers linked to it (or a specialisation) and to any method.
        // Parameters: none.
        MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(e:Method)
        WHERE EXISTS { MATCH (p)-[:STUDIES]->(:ModelClass) }
        RETURN 'Method' AS axis, e.id AS id, count(DISTINCT p) AS papers
        UNION ALL
        MATCH (p:Paper)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(e:ModelClass)
        WHERE EXISTS { MATCH (p)-[:USES_METHOD]->(:Method) }
        RETURN 'ModelClass' AS axis, e.id AS id, count(DISTINCT p) AS papers

        """,
        "gap-elsewhere": """
        // Gap elsewhere: how many papers use a method on other model classes than a cell's, for ranking
        // transfer opportunities. `litgraph gaps` passes the classes unrelated to the cell's class (with
        // their specialisations) and the cell's class with its specialisations.
        // Parameters: $method (a method id), $classes (model class ids counted), $excluding (model class ids
        // whose papers are left out).
        MATCH (p:Paper)-[:USES_METHOD]->(:Method {id: $method})
        WHERE EXISTS { MATCH (p)-[:STUDIES]->(c:ModelClass) WHERE c.id IN $classes }
          AND NOT EXISTS { MATCH (p)-[:STUDIES]->(c:ModelClass) WHERE c.id IN $excluding }
        RETURN count(DISTINCT p) AS papers

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
        // Gap status: each gap of the taxonomy with what it concerns and the papers addressing it, newest
        // first. A gap no paper addresses is open.
        // Parameters: none.
        MATCH (g:Gap)
        OPTIONAL MATCH (g)-[:CONCERNS]->(t)
        WITH g, collect(DISTINCT t.id) AS concerns
        OPTIONAL MATCH (p:Paper)-[:ADDRESSES]->(g)
        RETURN g.id AS gap, g.name AS name, concerns, id(p) AS node, p.key AS key, p.arxiv AS arxiv,
               p.title AS title, p.year AS year
        ORDER BY gap, year DESC, title

        """,
    ]
}

/// Runs the saved gap queries on one store; a query's errors become diagnostics on its text.
struct GapQueryRunner: Sendable {
    let store: GraphStore
    let folder: String?

    func run(_ name: String, _ parameters: [String: CypherValue] = [:]) throws -> [[String: CypherValue]] {
        let text = GapQueries.text(name, folder: folder)
        let result: QueryResult
        do {
            result = try QueryEngine.run(text, parameters: parameters, on: store)
        } catch let error as QueryError {
            throw error.diagnostic(source: text, file: GapQueries.path(name, folder: folder))
        }
        return result.rows.map { Dictionary(zip(result.columns, $0), uniquingKeysWith: { a, _ in a }) }
    }

    static func string(_ v: CypherValue?) -> String? { if case .string(let s) = v { return s }; return nil }
    static func int(_ v: CypherValue?) -> Int? { if case .int(let i) = v { return Int(i) }; return nil }
    static func paper(_ row: [String: CypherValue]) -> PaperSummary? {
        guard let node = int(row["node"]) else { return nil }
        return PaperSummary(id: Int64(node), key: string(row["key"]), arxiv: string(row["arxiv"]),
                            title: string(row["title"]), year: int(row["year"]))
    }
}

extension GapData {
    /// Runs the saved queries on `store` (opened with `QueryEngine.open`) and gathers their rows.
    public static func query(_ store: GraphStore, queries folder: String? = nil) throws -> GapData {
        let runner = GapQueryRunner(store: store, folder: folder)
        let string = GapQueryRunner.string, int = GapQueryRunner.int
        var methods: [TaxonomyNodeView] = [], classes: [TaxonomyNodeView] = [], gaps: [TaxonomyNodeView] = []
        for row in try runner.run("gap-taxonomy") {
            guard let label = string(row["label"]), let id = string(row["id"]), let node = int(row["node"]) else { continue }
            let view = TaxonomyNodeView(node: Int64(node), label: label, id: id, name: string(row["name"]) ?? id,
                                        description: string(row["description"]), parent: string(row["parent"]))
            switch label {
            case "Method": methods.append(view)
            case "ModelClass": classes.append(view)
            default: gaps.append(view)
            }
        }
        var cells: [GapCellCount] = []
        for row in try runner.run("gap-matrix") {
            guard let m = string(row["method"]), let c = string(row["model_class"]), let n = int(row["papers"]) else { continue }
            cells.append(GapCellCount(method: m, modelClass: c, year: int(row["year"]), papers: n))
        }
        var methodTotals: [String: Int] = [:], classTotals: [String: Int] = [:]
        for row in try runner.run("gap-totals") {
            guard let id = string(row["id"]), let n = int(row["papers"]) else { continue }
            if string(row["axis"]) == "ModelClass" { classTotals[id, default: 0] += n } else { methodTotals[id, default: 0] += n }
        }
        var concerns: [String: [String]] = [:], addressing: [String: [PaperSummary]] = [:]
        for row in try runner.run("gap-status") {
            guard let gap = string(row["gap"]) else { continue }
            if concerns[gap] == nil, case .list(let items) = row["concerns"] { concerns[gap] = items.compactMap(string) }
            if let p = GapQueryRunner.paper(row) { addressing[gap, default: []].append(p) }
        }
        return GapData(
            methods: methods, modelClasses: classes, gaps: gaps, cells: cells, methodTotals: methodTotals,
            classTotals: classTotals, concerns: concerns, addressing: addressing,
            papersElsewhere: { method, classes, excluding in
                let rows = try runner.run("gap-elsewhere", ["method": .string(method), "classes": .list(classes.map(CypherValue.string)),
                                                            "excluding": .list(excluding.map(CypherValue.string))])
                return rows.first.flatMap { int($0["papers"]) } ?? 0
            },
            cellPapers: { method, modelClass in
                try runner.run("gap-cell", ["method": .string(method), "model_class": .string(modelClass)])
                    .compactMap(GapQueryRunner.paper)
            })
    }
}
