// Stage 4 support: two rewrites of the generated SQL that change no result. A variable-length
// relationship whose walks start from nodes chosen by constants alone (a label, literal
// properties) is matched over its closure hoisted out of the join: the start node's tests are
// left to the closure's seed, and the far end's tests and the properties later read of it are
// evaluated once per closure row instead of once per joined row. And a projection that groups by
// the rows of an earlier aggregation leaves out of its GROUP BY the columns that aggregation
// determined (they are equal on every row of a group).
import Foundation

extension SQLGenerator {
    /// Where a variable-length relationship of a pattern is walked from, and whether its closure
    /// is hoisted (see `hoistedClosure`).
    struct Traversal {
        var start: Int
        var end: Int
        var hoisted: Bool
    }

    /// How variable-length relationship `i` of `p` is traversed. Its closure is hoisted when it is
    /// matched by node reachability without a depth bound, and both of its ends are new
    /// variables (or anonymous) whose tests are constants: every closure row then starts at a
    /// node passing the start's tests (the seed applies them), and the far end's tests can be
    /// applied to the closure alone.
    func traversal(_ p: PatternPath, _ i: Int, bound: [Bool], _ ps: PatternSQL) -> Traversal {
        let rel = p.rels[i]
        let fromRight = Self.traversesFromRight(p.nodes[i], p.nodes[i + 1], leftBound: bound[i], rightBound: bound[i + 1])
        let (start, end) = fromRight ? (i + 1, i) : (i, i + 1)
        guard let length = rel.length, length.max == nil, (length.min ?? 1) <= 1,
              nodeLevelReachability(rel, minHops: length.min ?? 1, ps),
              !bound[start], !bound[end],
              !p.nodes[start].labels.isEmpty || p.nodes[start].properties != nil,
              !exprHasVariables(p.nodes[start].properties), !exprHasVariables(p.nodes[end].properties)
        else { return Traversal(start: start, end: end, hoisted: false) }
        return Traversal(start: start, end: end, hoisted: true)
    }

    /// The closure `name(start, node)` restricted to rows whose end passes the tests of `endNode`,
    /// with a column per property of the end node read in the query (`propertyKeysRead`):
    /// `(table, columns by key)`, or the closure itself when there is nothing to restrict or read.
    /// The closure's rows drive the join (`CROSS JOIN` fixes the order): each finds its node by id,
    /// where SQLite's planner could otherwise scan every node of the graph for those in the closure.
    func hoistedClosure(_ name: String, endNode: NodePattern) throws -> (String, [String: String]) {
        let n = fresh("n")
        let conditions = try nodeConditions(endNode, alias: n, refs: [:], skipFirstLabel: false)
        let keys = endNode.variable.map { (propertyKeysRead[$0] ?? []).sorted() } ?? []
        if conditions.isEmpty && keys.isEmpty { return (name, [:]) }
        let h = fresh("h")
        var columns: [String: String] = [:]
        var select = ["v.start", "v.node"]
        for (i, key) in keys.enumerated() {
            columns[key] = "p\(i)"
            select.append("\(Self.propertyRead("\(n).props", key)) AS p\(i)")
        }
        let head = "\(h)(" + (["start", "node"] + keys.indices.map { "p\($0)" }).joined(separator: ", ") + ")"
        ctes.append("\(head) AS MATERIALIZED (\n  SELECT \(select.joined(separator: ", ")) FROM \(name) AS v CROSS JOIN node AS \(n) ON \(n).id = v.node"
                    + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + "\n)")
        return (h, columns)
    }

    /// Every property key read of each variable in `clauses` (`v.key`), wherever it appears.
    static func propertyKeysRead(_ clauses: [Clause]) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        let binder = Binder()
        func visit(_ e: Expr?) {
            guard let e else { return }
            if case .property(let base, let key) = e.kind, case .variable(let v) = base.kind { out[v, default: []].insert(key) }
            binder.children(e).forEach(visit)
        }
        func visitPatterns(_ patterns: [PatternPath]) {
            for p in patterns {
                p.nodes.forEach { visit($0.properties) }
                p.rels.forEach { visit($0.properties) }
            }
        }
        func visitProjection(_ p: Projection) {
            p.items.forEach { visit($0.expr) }
            p.orderBy.forEach { visit($0.expr) }
            visit(p.skip)
            visit(p.limit)
        }
        for clause in clauses {
            switch clause {
            case let .match(_, patterns, cond, _): visitPatterns(patterns); visit(cond)
            case let .unwind(e, _, _, _): visit(e)
            case let .with(p, cond, _): visitProjection(p); visit(cond)
            case let .ret(p, _): visitProjection(p)
            case let .create(patterns, _): visitPatterns(patterns)
            }
        }
        return out
    }

    /// Which grouping keys of an aggregating projection are needed: not those functionally
    /// dependent on others. `keys`: each key's input variable, when it is one. A variable
    /// aggregated (or carried) by an earlier projection is determined by that projection's
    /// grouping keys (`Pipeline.determinedBy`); when they are all grouped by here as well,
    /// grouping by it too makes the same groups.
    static func neededKeys(_ keys: [String?], determinedBy: [String: Set<String>]) -> [Bool] {
        let grouped = Set(keys.compactMap { $0 })
        return keys.map { key in
            guard let v = key, let d = determinedBy[v], !d.isEmpty, !d.contains(v) else { return true }
            return !d.isSubset(of: grouped)
        }
    }
}
