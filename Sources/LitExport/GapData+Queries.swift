// The gap report's rows through the saved queries: `Queries/gap-taxonomy.cypher`,
// `gap-matrix.cypher` and `gap-status.cypher`, run by the query engine. The texts shipped in
// Queries/ are built in too; a folder given by the caller (or ./Queries) overrides them, so a user's
// edits to the queries change the report.
import Foundation
import LitQuery
import LitStore

public enum GapQueries {
    /// The saved queries the report is built on.
    public static let names = ["gap-taxonomy", "gap-matrix", "gap-status"]

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
        // Gap matrix: every (method, model class, paper) triple where a paper is linked both to a method
        // and to a model class. `litgraph gaps` counts distinct papers per cell from these rows, adding the
        // papers of an entry's specialisations to the entry (causal tracing counts under intervention).
        // Parameters: none.
        MATCH (p:Paper)-[:USES_METHOD]->(m:Method), (p)-[:STUDIES]->(c:ModelClass)
        RETURN m.id AS method, c.id AS model_class, id(p) AS node, p.key AS key, p.arxiv AS arxiv,
               p.title AS title, p.year AS year
        ORDER BY method, model_class, node

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

extension GapData {
    /// Runs the saved queries on `store` (opened with `QueryEngine.open`) and gathers their rows.
    public static func query(_ store: GraphStore, queries folder: String? = nil) throws -> GapData {
        func run(_ name: String) throws -> [[String: CypherValue]] {
            let text = GapQueries.text(name, folder: folder)
            let result: QueryResult
            do {
                result = try QueryEngine.run(text, on: store)
            } catch let error as QueryError {
                throw error.diagnostic(source: text, file: GapQueries.path(name, folder: folder))
            }
            return result.rows.map { Dictionary(zip(result.columns, $0), uniquingKeysWith: { a, _ in a }) }
        }
        func string(_ v: CypherValue?) -> String? { if case .string(let s) = v { return s }; return nil }
        func int(_ v: CypherValue?) -> Int? { if case .int(let i) = v { return Int(i) }; return nil }
        func paper(_ row: [String: CypherValue]) -> PaperSummary? {
            guard let node = int(row["node"]) else { return nil }
            return PaperSummary(id: Int64(node), key: string(row["key"]), arxiv: string(row["arxiv"]),
                                title: string(row["title"]), year: int(row["year"]))
        }
        var methods: [TaxonomyNodeView] = [], classes: [TaxonomyNodeView] = [], gaps: [TaxonomyNodeView] = []
        for row in try run("gap-taxonomy") {
            guard let label = string(row["label"]), let id = string(row["id"]), let node = int(row["node"]) else { continue }
            let view = TaxonomyNodeView(node: Int64(node), label: label, id: id, name: string(row["name"]) ?? id,
                                        description: string(row["description"]), parent: string(row["parent"]))
            switch label {
            case "Method": methods.append(view)
            case "ModelClass": classes.append(view)
            default: gaps.append(view)
            }
        }
        var links: [(method: String, modelClass: String, paper: PaperSummary)] = []
        for row in try run("gap-matrix") {
            guard let m = string(row["method"]), let c = string(row["model_class"]), let p = paper(row) else { continue }
            links.append((m, c, p))
        }
        var concerns: [String: [String]] = [:], addressing: [String: [PaperSummary]] = [:]
        for row in try run("gap-status") {
            guard let gap = string(row["gap"]) else { continue }
            if concerns[gap] == nil, case .list(let items) = row["concerns"] { concerns[gap] = items.compactMap(string) }
            if let p = paper(row) { addressing[gap, default: []].append(p) }
        }
        return GapData(methods: methods, modelClasses: classes, gaps: gaps, links: links, concerns: concerns, addressing: addressing)
    }
}
