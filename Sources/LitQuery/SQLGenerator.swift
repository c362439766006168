// Stage 4: SQL generation. Turns a bound query into SQLite SQL over the store's schema
// (node / node_label / edge, properties as JSON in `props`): one CTE per clause, joins for fixed
// patterns, recursive CTEs for variable length, LEFT JOIN with the WHERE in its ON clause for
// OPTIONAL MATCH, correlated EXISTS for pattern predicates, GROUP BY for aggregation. Every value
// is a named parameter. Equalities on the indexed keys are also written exactly as the expression
// indexes are (`json_extract(alias.props, '$.key') = value`) so that lookups use them.
import Foundation
import GRDB
import LitStore

/// The executable form of a query: stages run in order by `QueryEngine`.
public struct CompiledQuery: Sendable {
    /// Column names of the result (empty when the query returns nothing).
    public var columns: [String]
    var stages: [Stage]
    /// Named SQL parameters (`:p1` → value).
    public var arguments: [String: DatabaseValue]

    /// The SQL of every stage, for EXPLAIN and golden tests.
    public var sqlText: String {
        stages.map { stage in
            switch stage {
            case .select(let sql): return sql
            case .create(let c): return "-- CREATE input\n" + c.sql
            }
        }.joined(separator: ";\n")
    }
}

enum Stage: Sendable {
    case select(String)
    case create(CreateStage)
}

/// A CREATE clause: `sql` yields one row per input row (existing variables, then property maps);
/// the engine inserts the pattern for each row and, when more clauses follow, stores the rows
/// with the new variables in the temporary table `outputTable`.
struct CreateStage: Sendable {
    struct NodeItem: Sendable {
        var variable: String?
        var labels: [String]
        var propertiesColumn: Int?
    }
    struct RelItem: Sendable {
        var variable: String?
        var type: String
        var from: Int
        var to: Int
        var propertiesColumn: Int?
    }
    var sql: String
    var inputVariables: [String]
    var nodes: [NodeItem]
    var rels: [RelItem]
    var outputTable: String?
    var outputVariables: [String]
}

/// How an expression refers to a variable in the SQL being built.
struct VarRef {
    var sql: String
    var kind: StaticType
    /// A `node` table alias holding this node in the current FROM clause.
    var nodeAlias: String?
    var relAlias: String?
    /// SQL giving the node's id without building its value (a pattern alias's `id`, or a
    /// pipeline column that holds the id).
    var nodeID: String?
    /// Properties of the node read as columns of a hoisted closure (key → SQL), see
    /// `hoistedClosure`.
    var propertyColumns: [String: String] = [:]
    /// A node id no two rows share (the one grouping key of the projection before): its
    /// properties are read from its row directly, the property memo could not be asked twice.
    var rowUnique = false

    /// The column value that carries this variable to the next clause: a node's id when known
    /// (its value is built only where a result needs it), else the value.
    var carried: (sql: String, isID: Bool) {
        if kind == .node, let id = nodeID ?? nodeAlias.map({ "\($0).id" }) { return (id, true) }
        return (sql, false)
    }
}

final class SQLGenerator {
    let parameters: [String: CypherValue]
    var arguments: [String: DatabaseValue] = [:]
    var ctes: [String] = []
    var stages: [Stage] = []
    var counter = 0
    /// While compiling ORDER BY/WHERE over an aggregating or DISTINCT projection: projected
    /// expressions (by structure) → their SQL.
    var substitutions: [String: String] = [:]
    /// While compiling expressions evaluated per row of a join of relationships: node property
    /// reads go through the query's property memo (`memoRead`), so each node's JSON is parsed
    /// once per key instead of once per row.
    var memoNodeReads = false
    /// The property keys read of each variable in the part being compiled (see `propertyKeysRead`).
    var propertyKeysRead: [String: Set<String>] = [:]

    /// Depth bound for an unbounded variable-length relationship.
    static let unboundedDepth = 25

    init(parameters: [String: CypherValue]) {
        self.parameters = parameters
    }

    func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    func bind(_ value: DatabaseValue) -> String {
        let name = fresh("p")
        arguments[name] = value
        return ":" + name
    }
    func bind(_ value: CypherValue) -> String {
        if case .null = value { return "NULL" }
        return bind(value.databaseValue)
    }

    static func column(_ name: String) -> String {
        "\"v_" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `'$.key'` as the expression indexes spell it.
    static func jsonPath(_ key: String) -> String {
        let simple = key.first.map { $0.isLetter || $0 == "_" } == true && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && key.allSatisfy(\.isASCII)
        let path = simple ? "$.\(key)" : "$.\"\(key.replacingOccurrences(of: "\"", with: "\\\""))\""
        return "'" + path.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A property of the JSON object `propsSQL`: its member whose name is written as the store
    /// writes `key` (see `cy_prop`).
    static func propertyRead(_ propsSQL: String, _ key: String) -> String {
        let written = String(CypherValue.jsonQuote(key).dropFirst().dropLast())
        return "cy_prop(\(propsSQL), '\(written.replacingOccurrences(of: "'", with: "''"))')"
    }

    /// A property of the node whose id is `id`, read through the property memo: rows that repeat
    /// a node, or read the same key twice, parse its JSON once, and the node's row is looked up
    /// only then (so a pattern's `node` table can be left out, see `pruneNodeTables`).
    static func memoRead(id: String, _ key: String) -> String {
        let path = jsonPath(key)
        return "CASE WHEN cy_mh(\(id), \(path)) THEN cy_mv() ELSE cy_mp(\(id), \(path), (SELECT \(propertyRead("props", key)) FROM node WHERE id = \(id))) END"
    }

    // MARK: - Query

    func compile(_ query: Query) throws -> CompiledQuery {
        var columns: [String] = []
        var selects: [String] = []
        for part in query.parts {
            let (sql, cols) = try compileSingle(part)
            columns = cols
            if let sql { selects.append(sql) }
        }
        if selects.count > 1 {
            var sql = "SELECT * FROM (\(selects[0]))"
            for (i, s) in selects.enumerated().dropFirst() {
                sql += query.unionAll[i - 1] ? " UNION ALL " : " UNION "
                sql += "SELECT * FROM (\(s))"
            }
            selects = [sql]
        }
        if let sql = selects.first {
            stages.append(.select(withPrefix() + sql))
        }
        return CompiledQuery(columns: columns, stages: stages, arguments: arguments)
    }

    func withPrefix() -> String {
        ctes.isEmpty ? "" : "WITH RECURSIVE\n" + ctes.joined(separator: ",\n") + "\n"
    }

    /// The tables and conditions of a MATCH, read directly by the WITH or RETURN right after it.
    struct Fused {
        var cte: String
        var tables: [String]
        var conditions: [String]
        var refs: [String: VarRef]
        var joinsRelationships: Bool
        var idSources: [String: String]
        /// The relation the MATCH went on from (the first of `tables`), its variables as its columns
        /// give them and the node id columns no two of its rows share; nil for a MATCH that starts
        /// the query.
        var seed: (source: String, refs: [String: VarRef], uniqueIDs: Set<String>)?
    }

    /// The current relation while compiling one part: a CTE or temp table with one column per variable.
    struct Pipeline {
        var source: String?
        var variables: [String] = []
        var kinds: [String: StaticType] = [:]
        /// Node variables whose column holds the node's id rather than its value.
        var idColumns: Set<String> = []
        /// Variables whose value is the same on all rows that agree on some other variables
        /// (those of an earlier projection's grouping keys), see `neededKeys`.
        var determinedBy: [String: Set<String>] = [:]
        /// Node id columns no two rows share (see `VarRef.rowUnique`).
        var uniqueIDs: Set<String> = []
        /// The FROM and WHERE of the MATCH that produced `source`, so that a WITH or RETURN right
        /// after it can read the pattern's tables directly (`json_extract` on the aliases).
        var fused: Fused?
        func refs() -> [String: VarRef] {
            var out: [String: VarRef] = [:]
            for v in variables {
                let column = "\(source!).\(SQLGenerator.column(v))"
                out[v] = idColumns.contains(v) ? VarRef(sql: "cy_node(\(column))", kind: .node, nodeID: column, rowUnique: uniqueIDs.contains(v))
                    : VarRef(sql: column, kind: kinds[v] ?? .any)
            }
            return out
        }
    }

    func compileSingle(_ part: SingleQuery, outer: [String: VarRef] = [:]) throws -> (String?, [String]) {
        var pipe = Pipeline()
        let savedKeys = propertyKeysRead
        propertyKeysRead = Self.propertyKeysRead(part.clauses)
        defer { propertyKeysRead = savedKeys }
        // Inside EXISTS { }: one correlated row holding the enclosing query's variables.
        let outerNames = outer.keys.filter { !$0.isEmpty }.sorted()
        if !outerNames.isEmpty {
            pipe.variables = outerNames
            for v in outerNames { pipe.kinds[v] = outer[v]!.kind }
            pipe.idColumns = Set(outerNames.filter { outer[$0]!.carried.isID })
            pipe.source = addCTE("SELECT " + outerNames.map { "\(outer[$0]!.carried.sql) AS \(Self.column($0))" }.joined(separator: ", "))
        }
        for (index, clause) in part.clauses.enumerated() {
            switch clause {
            case let .match(optional, patterns, cond, _):
                let rowsAsSet = Self.consumedAsSet(part.clauses[(index + 1)...], existenceOnly: !outer.isEmpty)
                pipe = try compileMatch(patterns, where: cond, optional: optional, pipe, rowsAsSet: rowsAsSet)
            case let .unwind(e, alias, _, _):
                pipe = try compileUnwind(e, alias: alias, pipe)
            case let .with(projection, cond, _):
                pipe = try compileProjection(projection, pipe, final: false, where: cond).0
            case let .ret(projection, _):
                let (_, sql, cols) = try compileProjection(projection, pipe, final: true)
                return (sql, cols)
            case let .create(patterns, _):
                // Patterns whose properties read a variable created earlier in the same CREATE
                // run as a CREATE of their own, after it.
                var chunks: [[PatternPath]] = [[]]
                var created: Set<String> = []
                for p in patterns {
                    let reads = (p.nodes.compactMap(\.properties) + p.rels.compactMap(\.properties)).flatMap { Binder().freeVariables($0) }
                    if reads.contains(where: created.contains) { chunks.append([]); created = [] }
                    chunks[chunks.count - 1].append(p)
                    created.formUnion(p.nodes.compactMap(\.variable) + p.rels.compactMap(\.variable))
                }
                let isLastClause = clause.range == part.clauses.last!.range
                for (i, chunk) in chunks.enumerated() {
                    pipe = try compileCreate(chunk, pipe, isLast: isLastClause && i == chunks.count - 1)
                }
            }
        }
        // A subquery without RETURN: its rows are those of its last clause.
        if !outer.isEmpty, let source = pipe.source { return ("SELECT 1 FROM \(source)", []) }
        return (nil, [])
    }

    /// Whether the rows of a MATCH reach the result only as a set: the clauses after it (`rest`)
    /// are more MATCH or UNWIND clauses and then a projection that is DISTINCT or aggregates with
    /// multiplicity-blind aggregates only (`count(DISTINCT …)`, `collect(DISTINCT …)`, `min`, `max`,
    /// …), or, inside EXISTS { }, nothing at all. Duplicated input rows then change nothing.
    static func consumedAsSet(_ rest: ArraySlice<Clause>, existenceOnly: Bool) -> Bool {
        for clause in rest {
            switch clause {
            case .match, .unwind: continue
            case .create: return false
            case .with(let p, _, _), .ret(let p, _):
                let items = p.items.map(\.expr) + p.orderBy.map(\.expr)
                let binder = Binder()
                guard items.allSatisfy(setBlindAggregates) else { return false }
                return p.distinct || items.contains(where: binder.containsAggregate)
            }
        }
        return existenceOnly
    }

    /// Whether every aggregate in `e` gives the same value for a multiset as for its set of rows.
    static func setBlindAggregates(_ e: Expr) -> Bool {
        switch e.kind {
        case .countStar: return false
        case .call(let name, let distinct, let args):
            let lower = name.lowercased()
            if Binder.aggregates.contains(lower) && !distinct && lower != "min" && lower != "max" { return false }
            return args.allSatisfy(setBlindAggregates)
        case .exists, .pattern: return true
        default: return Binder().children(e).allSatisfy(setBlindAggregates)
        }
    }

    func addCTE(_ body: String, materialized: Bool = false) -> String {
        let name = fresh("s")
        ctes.append("\(name) AS \(materialized ? "MATERIALIZED " : "")(\n  \(body)\n)")
        return name
    }

    // MARK: - MATCH

    struct PatternSQL {
        var tables: [String] = []
        var conditions: [String] = []
        var refs: [String: VarRef]
        /// Relationship uniqueness: (sql of the id or path, isPath, the pattern's types: empty for any).
        var uniqueness: [(String, Bool, [String])] = []
        var newVariables: [String] = []
        /// Whether the pattern's rows are used only as a set (see `consumedAsSet`).
        var rowsAsSet = false
        /// Every relationship pattern of the MATCH (for relationship uniqueness).
        var allRels: [RelPattern] = []
        /// How many relationship patterns the tables join.
        var relationships = 0
        /// Node table alias → a column the conditions make equal to the node's id, non-null on
        /// every row (see `pruneNodeTables`).
        var idSources: [String: String] = [:]
        /// Node table alias → the label index row that found it (see `pruneNodeTables`).
        var labelSources: [String: String] = [:]
    }

    func compileMatch(_ patterns: [PatternPath], where cond: Expr?, optional: Bool, _ pipe: Pipeline, rowsAsSet: Bool) throws -> Pipeline {
        var ps = PatternSQL(refs: pipe.refs(), rowsAsSet: rowsAsSet, allRels: patterns.flatMap(\.rels))
        for p in patterns { try addPattern(p, &ps, seedSource: pipe.source) }
        // The one node found through the label index may be read from its index row.
        if ps.labelSources.count == 1, let (alias, source) = ps.labelSources.first, ps.idSources[alias] == nil {
            ps.idSources[alias] = source
        }
        addUniqueness(&ps)
        if let cond {
            ps.conditions += indexHints(cond, ps.refs)
            memoNodeReads = ps.relationships > 0
            defer { memoNodeReads = false }
            ps.conditions.append("cy_true(\(try expr(cond, ps.refs)))")
        }
        var out = pipe
        out.uniqueIDs = []
        for v in ps.newVariables where !out.variables.contains(v) {
            out.variables.append(v)
            out.kinds[v] = ps.refs[v]!.kind
        }
        // Project: previously bound variables keep their column; new ones come from the pattern.
        var select: [String] = []
        let prevRefs = pipe.refs()
        out.idColumns = []
        for v in out.variables {
            let ref = prevRefs[v] ?? ps.refs[v]!
            select.append("\(ref.carried.sql) AS \(Self.column(v))")
            if ref.carried.isID { out.idColumns.insert(v) }
        }
        if select.isEmpty { select = ["1 AS _"] }
        let conds = ps.conditions.isEmpty ? ["1"] : ps.conditions
        if optional {
            let group = ps.tables.isEmpty ? "(SELECT 1 AS _one)"
                : ps.tables.count == 1 && !ps.tables[0].contains(" JOIN ") ? ps.tables[0] : "(" + ps.tables.joined(separator: " JOIN ") + ")"
            let from = (pipe.source ?? "(SELECT 1 AS _)") + " LEFT JOIN " + group + " ON " + conds.joined(separator: "\n    AND ")
            out.source = addCTE("SELECT \(select.joined(separator: ", "))\n  FROM \(from)")
        } else {
            var tables = ps.tables
            if let s = pipe.source { tables.insert(s, at: 0) }
            let (pruned, parts) = Self.pruneNodeTables(tables, select + conds, ps.idSources)
            out.source = addCTE(Self.selectText(select: Array(parts[..<select.count]), tables: pruned, conditions: Array(parts[select.count...])))
            var refs = ps.refs
            for (v, ref) in prevRefs where pipe.variables.contains(v) && refs[v]?.nodeAlias == nil && refs[v]?.relAlias == nil { refs[v] = ref }
            out.fused = Fused(cte: out.source!, tables: tables, conditions: conds, refs: refs,
                              joinsRelationships: ps.relationships > 0, idSources: ps.idSources,
                              seed: pipe.source.map { ($0, prevRefs, pipe.uniqueIDs) })
            return out
        }
        out.fused = nil
        return out
    }

    /// `SELECT select FROM tables WHERE conditions`, conditions that became `x = x` left out.
    static func selectText(select: [String], tables: [String], conditions: [String], distinct: Bool = false) -> String {
        let conds = conditions.filter { c in
            let sides = c.components(separatedBy: " = ")
            return !(sides.count == 2 && sides[0] == sides[1])
        }
        return "SELECT \(distinct ? "DISTINCT " : "")\(select.isEmpty ? "1 AS _" : select.joined(separator: ", "))\n  FROM \(tables.isEmpty ? "(SELECT 1 AS _)" : tables.joined(separator: ", "))"
            + "\n  WHERE \(conds.isEmpty ? "1" : conds.joined(separator: "\n    AND "))"
    }

    /// Leaves out the `node` table of every pattern node whose row nothing in `parts` (the SELECT
    /// list, conditions, grouping) reads but its id: the id is then taken from `idSources`, a
    /// column the conditions make equal to it (the traversal row that reached the node, or an
    /// earlier clause's column). A traversal row always names a node that exists (the store
    /// deletes a node's edges with it), so the rows stay the same; the node's row is read only
    /// where a property is (through the property memo). Of the nodes found through the label
    /// index, only a MATCH's single one loses its table (its id is the label row's): with two,
    /// SQLite, which has no statistics here, may join their label scans before the relationship
    /// between them.
    static func pruneNodeTables(_ tables: [String], _ parts: [String], _ idSources: [String: String]) -> ([String], [String]) {
        var tables = tables, parts = parts
        // A quoted JSON path could hold text that looks like an alias: leave such queries alone.
        if parts.contains(where: { $0.contains("'$.\"") }) { return (tables, parts) }
        for (alias, source) in idSources.sorted(by: { $0.key < $1.key }) {
            let plain = "node AS \(alias)", crossed = "node AS \(alias) CROSS JOIN "
            guard let i = tables.firstIndex(where: { $0 == plain || $0.hasPrefix(crossed) }),
                  let uses = try? NSRegularExpression(pattern: "(?<![A-Za-z0-9_\"])\(alias)\\.([A-Za-z_]+)"),
                  let ids = try? NSRegularExpression(pattern: "(?<![A-Za-z0-9_\"])\(alias)\\.id(?![A-Za-z0-9_])") else { continue }
            let others = parts + tables.enumerated().filter { $0.offset != i }.map(\.element)
            let onlyID = others.allSatisfy { text in
                uses.matches(in: text, range: NSRange(text.startIndex..., in: text)).allSatisfy { m in
                    (text as NSString).substring(with: m.range(at: 1)) == "id"
                }
            }
            guard onlyID else { continue }
            if tables[i] == plain { tables.remove(at: i) } else { tables[i] = String(tables[i].dropFirst(crossed.count)) }
            let template = NSRegularExpression.escapedTemplate(for: source)
            parts = parts.map { ids.stringByReplacingMatches(in: $0, range: NSRange($0.startIndex..., in: $0), withTemplate: template) }
        }
        return (tables, parts)
    }

    /// Equality tests on indexed keys, written so SQLite can use the expression index.
    func indexHints(_ cond: Expr, _ refs: [String: VarRef]) -> [String] {
        if let (alias, labels) = labelTests(cond, refs) {
            // `n:A OR n:B`: the candidates from the label index (the test itself stays).
            return ["\(alias).id IN (SELECT node FROM node_label WHERE label IN (\(labels.map { bind(.string($0)) }.joined(separator: ", "))))"]
        }
        switch cond.kind {
        case .binary("AND", let a, let b): return indexHints(a, refs) + indexHints(b, refs)
        case .binary("=", let a, let b):
            for (l, r) in [(a, b), (b, a)] {
                if case .property(let base, let key) = l.kind, case .variable(let v) = base.kind,
                   let alias = refs[v]?.nodeAlias, let hint = indexHint(alias: alias, key: key, value: r, refs: refs) {
                    return [hint]
                }
            }
            return []
        default: return []
        }
    }

    /// When `cond` is a label test of one node of the pattern, or a disjunction of such tests:
    /// its table alias and, of each test, one label (a node passing the test has one of them).
    func labelTests(_ cond: Expr, _ refs: [String: VarRef]) -> (String, [String])? {
        switch cond.kind {
        case .hasLabels(let a, let labels):
            guard case .variable(let v) = a.kind, let alias = refs[v]?.nodeAlias, let first = labels.first else { return nil }
            return (alias, [first])
        case .binary("OR", let a, let b):
            guard let l = labelTests(a, refs), let r = labelTests(b, refs), l.0 == r.0 else { return nil }
            return (l.0, l.1 + r.1.filter { !l.1.contains($0) })
        default: return nil
        }
    }

    /// `json_extract(alias.props, '$.key') = value` when `key` is indexed and the value is surely
    /// a string (then this SQLite equality is implied by Cypher's, and the index can serve it).
    func indexHint(alias: String, key: String, value: Expr, refs: [String: VarRef] = [:]) -> String? {
        guard Schema.indexedPropertyKeys.contains(key) else { return nil }
        var sql: String?
        switch value.kind {
        case .string(let s): sql = bind(.string(s))
        case .parameter(let name):
            if case .string(let s)? = parameters[name] { sql = bind(.string(s)) }
        default:
            let scope = refs.mapValues(\.kind)
            if Binder().freeVariables(value).allSatisfy({ refs[$0] != nil }),
               (try? Binder().typeNoMutate(value, scope)) == .string {
                sql = try? expr(value, refs)
            }
        }
        guard let sql else { return nil }
        return "json_extract(\(alias).props, \(Self.jsonPath(key))) = \(sql)"
    }

    /// Relationship uniqueness between every two relationship patterns that could bind the same
    /// relationship: none between patterns of different fixed types.
    func addUniqueness(_ ps: inout PatternSQL) {
        let u = ps.uniqueness
        for i in 0..<u.count {
            for j in (i + 1)..<max(i + 1, u.count) {
                if !u[i].2.isEmpty && !u[j].2.isEmpty && Set(u[i].2).isDisjoint(with: u[j].2) { continue }
                switch (u[i].1, u[j].1) {
                case (false, false): ps.conditions.append("\(u[i].0) <> \(u[j].0)")
                case (false, true): ps.conditions.append("instr(\(u[j].0), ',' || \(u[i].0) || ',') = 0")
                case (true, false): ps.conditions.append("instr(\(u[i].0), ',' || \(u[j].0) || ',') = 0")
                case (true, true): ps.conditions.append("cy_disjoint(\(u[i].0), \(u[j].0))")
                }
            }
        }
    }

    /// Conditions for a node pattern's labels and properties on `alias`.
    func nodeConditions(_ node: NodePattern, alias: String, refs: [String: VarRef], skipFirstLabel: Bool) throws -> [String] {
        var out: [String] = []
        for (i, label) in node.labels.enumerated() where !(skipFirstLabel && i == 0) {
            out.append("EXISTS (SELECT 1 FROM node_label WHERE node = \(alias).id AND label = \(bind(.string(label))))")
        }
        out += try propertyConditions(node.properties, propsSQL: "\(alias).props", alias: alias, refs: refs)
        return out
    }

    func propertyConditions(_ props: Expr?, propsSQL: String, alias: String?, refs: [String: VarRef]) throws -> [String] {
        guard let props else { return [] }
        var entries: [(String, Expr)] = []
        switch props.kind {
        case .map(let e): entries = e
        case .parameter(let name):
            guard case .map(let m)? = parameters[name] else {
                throw QueryError("SyntaxError", "InvalidParameterUse", "a pattern's properties must be a map", at: props.range)
            }
            var out: [String] = []
            for (k, v) in m.sorted(by: { $0.key < $1.key }) {
                out.append("cy_eqt(\(Self.propertyRead(propsSQL, k)), \(bind(v)))")
            }
            return out
        default:
            throw QueryError("SyntaxError", "InvalidParameterUse", "a pattern's properties must be a map", at: props.range)
        }
        var out: [String] = []
        for (key, value) in entries {
            if let alias, let hint = indexHint(alias: alias, key: key, value: value, refs: refs) { out.append(hint) }
            out.append("cy_eqt(\(Self.propertyRead(propsSQL, key)), \(try expr(value, refs)))")
        }
        return out
    }

    /// Adds the tables and conditions of one pattern path.
    func addPattern(_ p: PatternPath, _ ps: inout PatternSQL, seedSource: String?) throws {
        if p.pathName != nil { throw QueryError.unsupported("named paths", at: p.range) }
        var nodeAliases: [String] = []
        var boundBefore: [Bool] = []
        // The far ends of variable-length relationships: their candidates come from the traversal,
        // so their labels are tested per row instead of driving the join from the label index.
        var reachedByTraversal: Set<Int> = []
        var seen = Set(ps.refs.keys)
        let bound = p.nodes.map { node -> Bool in
            guard let v = node.variable else { return false }
            return !seen.insert(v).inserted
        }
        // Nodes whose tests a hoisted closure applies (its start's seed, its far end's restriction).
        var testedByClosure: Set<Int> = []
        var traversals: [Int: Traversal] = [:]
        for (i, rel) in p.rels.enumerated() where rel.length != nil {
            let t = traversal(p, i, bound: bound, ps)
            traversals[i] = t
            reachedByTraversal.insert(t.end)
            if t.hoisted { testedByClosure.formUnion([t.start, t.end]) }
        }
        for (index, node) in p.nodes.enumerated() {
            if let v = node.variable, let ref = ps.refs[v] {
                boundBefore.append(true)
                if let alias = ref.nodeAlias {
                    nodeAliases.append(alias)
                    ps.conditions += try nodeConditions(node, alias: alias, refs: ps.refs, skipFirstLabel: false)
                    continue
                }
                let alias = fresh("n")
                ps.tables.append("node AS \(alias)")
                ps.conditions.append("\(alias).id = \(ref.nodeID ?? "cy_nid(\(ref.sql))")")
                if let id = ref.nodeID { ps.idSources[alias] = id }
                ps.conditions += try nodeConditions(node, alias: alias, refs: ps.refs, skipFirstLabel: false)
                var r = ref
                r.nodeAlias = alias
                ps.refs[v] = r
                nodeAliases.append(alias)
                continue
            }
            boundBefore.append(false)
            let alias = fresh("n")
            nodeAliases.append(alias)
            if testedByClosure.contains(index) {
                ps.tables.append("node AS \(alias)")
                if let v = node.variable {
                    ps.refs[v] = VarRef(sql: "cy_node(\(alias).id)", kind: .node, nodeAlias: alias, nodeID: "\(alias).id")
                    ps.newVariables.append(v)
                }
                continue
            }
            // Drive from the label index, unless an indexed property will find the node.
            var indexedProperty = false
            if case .map(let entries)? = node.properties?.kind {
                indexedProperty = entries.contains { Schema.indexedPropertyKeys.contains($0.0) }
            }
            if reachedByTraversal.contains(index) { indexedProperty = true }
            if let first = node.labels.first, !indexedProperty {
                let l = fresh("l")
                ps.tables.append("node_label AS \(l)")
                ps.tables.append("node AS \(alias)")
                ps.conditions.append("\(l).label = \(bind(.string(first)))")
                ps.conditions.append("\(alias).id = \(l).node")
                ps.labelSources[alias] = "\(l).node"
            } else {
                ps.tables.append("node AS \(alias)")
            }
            if let v = node.variable {
                ps.refs[v] = VarRef(sql: "cy_node(\(alias).id)", kind: .node, nodeAlias: alias, nodeID: "\(alias).id")
                ps.newVariables.append(v)
            }
            ps.conditions += try nodeConditions(node, alias: alias, refs: ps.refs, skipFirstLabel: !indexedProperty)
        }
        for (i, rel) in p.rels.enumerated() {
            ps.relationships += 1
            let left = nodeAliases[i], right = nodeAliases[i + 1]
            if let length = rel.length {
                try addVarLength(rel, length: length, left: left, right: right,
                                 leftNode: p.nodes[i], rightNode: p.nodes[i + 1],
                                 leftBound: boundBefore[i], rightBound: boundBefore[i + 1], hoisted: traversals[i]?.hoisted == true,
                                 &ps, seedSource: seedSource)
                continue
            }
            let e = fresh("e")
            ps.tables.append("edge AS \(e)")
            if rel.types.count == 1 {
                ps.conditions.append("\(e).type = \(bind(.string(rel.types[0])))")
            } else if rel.types.count > 1 {
                ps.conditions.append("\(e).type IN (\(rel.types.map { bind(.string($0)) }.joined(separator: ", ")))")
            }
            switch rel.direction {
            case .outgoing: ps.conditions.append("\(e).src = \(left).id AND \(e).dst = \(right).id")
            case .incoming: ps.conditions.append("\(e).dst = \(left).id AND \(e).src = \(right).id")
            case .both:
                ps.conditions.append("((\(e).src = \(left).id AND \(e).dst = \(right).id) OR (\(e).dst = \(left).id AND \(e).src = \(right).id AND \(e).src <> \(e).dst))")
            }
            if let v = rel.variable {
                if let ref = ps.refs[v] {
                    ps.conditions.append("\(e).id = cy_rid(\(ref.sql))")
                } else {
                    ps.refs[v] = VarRef(sql: "cy_rel(\(e).id)", kind: .relationship, relAlias: e)
                    ps.newVariables.append(v)
                }
            }
            ps.conditions += try propertyConditions(rel.properties, propsSQL: "\(e).props", alias: nil, refs: ps.refs)
            ps.uniqueness.append(("\(e).id", false, rel.types))
        }
    }

    func addVarLength(_ rel: RelPattern, length: (min: Int?, max: Int?), left: String, right: String,
                      leftNode: NodePattern, rightNode: NodePattern, leftBound: Bool, rightBound: Bool, hoisted: Bool = false,
                      _ ps: inout PatternSQL, seedSource: String?) throws {
        if let v = rel.variable, let list = ps.refs[v] {
            // A list of relationships bound before: the path must follow exactly those.
            guard rel.direction != .both else {
                throw QueryError.unsupported("re-matching a bound relationship list without a direction", at: rel.range)
            }
            let (from, to) = rel.direction == .outgoing ? ("src", "dst") : ("dst", "src")
            let l = list.sql
            var conds = [
                "cy_f_size(\(l)) = (SELECT count(*) FROM json_each(cy_unwind(\(l))) AS j JOIN edge AS e ON e.id = cy_rid(cy_elem(j.value))\(rel.types.isEmpty ? "" : " WHERE e.type IN (\(rel.types.map { bind(.string($0)) }.joined(separator: ", ")))"))",
                "NOT EXISTS (SELECT 1 FROM json_each(cy_unwind(\(l))) AS a JOIN json_each(cy_unwind(\(l))) AS b ON b.key = a.key + 1 JOIN edge AS ea ON ea.id = cy_rid(cy_elem(a.value)) JOIN edge AS eb ON eb.id = cy_rid(cy_elem(b.value)) WHERE ea.\(to) <> eb.\(from))",
            ]
            conds.append("CASE WHEN cy_f_size(\(l)) = 0 THEN \(left).id = \(right).id ELSE \(left).id = (SELECT \(from) FROM edge WHERE id = cy_rid(cy_index(\(l), \(bind(.int(0)))))) AND \(right).id = (SELECT \(to) FROM edge WHERE id = cy_rid(cy_index(\(l), \(bind(.int(-1)))))) END")
            if let lo = length.min { conds.append("cy_f_size(\(l)) >= \(lo)") }
            if let hi = length.max { conds.append("cy_f_size(\(l)) <= \(hi)") }
            ps.conditions += conds
            ps.uniqueness.append(("cy_rpath(\(l))", true, rel.types))
            return
        }
        let minHops = length.min ?? 1
        let maxHops = length.max ?? Self.unboundedDepth
        let fromRight = Self.traversesFromRight(leftNode, rightNode, leftBound: leftBound, rightBound: rightBound)
        func constrained(_ n: NodePattern) -> Bool { !n.labels.isEmpty || n.properties != nil }
        let (startAlias, startNode, startBound) = fromRight ? (right, rightNode, rightBound) : (left, leftNode, leftBound)
        var direction = rel.direction
        if fromRight { direction = direction == .outgoing ? .incoming : direction == .incoming ? .outgoing : .both }

        // Seed: the start node's candidates.
        var seed = "SELECT id FROM node"
        if startBound, let v = startNode.variable, let src = seedSource, let ref = ps.refs[v], let id = ref.nodeID, id.hasPrefix(src + ".") {
            seed = "SELECT \(id) FROM \(src)"
        } else if startBound, let v = startNode.variable, let src = seedSource, let ref = ps.refs[v], ref.sql.hasPrefix(src + ".") {
            seed = "SELECT cy_nid(\(ref.sql)) FROM \(src)"
        } else if constrained(startNode), !exprHasVariables(startNode.properties) {
            // From the label index when the start node has a label.
            let s = fresh("n")
            var from = "node AS \(s)"
            var conds: [String] = []
            if let first = startNode.labels.first {
                let l = fresh("l")
                from = "node_label AS \(l) JOIN node AS \(s) ON \(s).id = \(l).node"
                conds.append("\(l).label = \(bind(.string(first)))")
            }
            conds += try nodeConditions(startNode, alias: s, refs: [:], skipFirstLabel: !startNode.labels.isEmpty)
            seed = "SELECT \(s).id FROM \(from)" + (conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND "))
        }
        var edgeConds: [String] = []
        if rel.types.count == 1 {
            edgeConds.append("e.type = \(bind(.string(rel.types[0])))")
        } else if rel.types.count > 1 {
            edgeConds.append("e.type IN (\(rel.types.map { bind(.string($0)) }.joined(separator: ", ")))")
        }
        if exprHasVariables(rel.properties) {
            throw QueryError.unsupported("variable-length relationship properties that depend on variables", at: rel.range)
        }
        edgeConds += try propertyConditions(rel.properties, propsSQL: "e.props", alias: nil, refs: [:])
        let join: String, next: String
        switch direction {
        case .outgoing: join = "e.src = v.node"; next = "e.dst"
        case .incoming: join = "e.dst = v.node"; next = "e.src"
        case .both: join = "(e.src = v.node OR e.dst = v.node)"; next = "CASE WHEN e.src = v.node THEN e.dst ELSE e.src END"
        }
        let name = fresh("vl")
        let endAlias = fromRight ? left : right
        if nodeLevelReachability(rel, minHops: minHops, ps) {
            // Reachability over (start, node, depth), with UNION: the pairs joined by a walk of
            // 0…maxHops edges, each node expanded once per depth. Cypher asks for trails (no
            // relationship twice); the ends agree because a shortest walk is a trail. Let W be a
            // walk from s to t of length L, minHops ≤ L ≤ maxHops, and W' a shortest walk from s
            // to t among those of length ≥ minHops (minHops ≤ 1). Were some relationship e used
            // twice in W', then, the pattern being directed, in the same direction both times:
            // W' = A e B e C where B leads from e's end back to e's start. A e C is then a walk
            // from s to t, shorter, and still of length ≥ 1 ≥ minHops (it contains e):
            // a contradiction. So W' is a trail with minHops ≤ |W'| ≤ L ≤ maxHops, and every
            // trail is a walk. (Undirected, W' = A e B e C with e crossed both ways shortens to
            // A C, which may be empty when s = t; and for minHops ≥ 2 A e C may be too short.
            // Those cases keep path enumeration.)
            let a = fresh("v")
            if length.max == nil {
                // Unbounded: the (start, node) pairs alone, each once, found in one pass over the
                // edges reachable from the seeds, whatever the number of paths between them.
                var first = minHops == 0 ? "SELECT id, id FROM node WHERE id IN (\(seed))"
                    : "SELECT \(direction == .incoming ? "e.dst, e.src" : "e.src, e.dst") FROM edge AS e WHERE \(direction == .incoming ? "e.dst" : "e.src") IN (\(seed))"
                if minHops > 0 { for c in edgeConds { first += " AND " + c } }
                var step = "SELECT v.start, \(next) FROM \(name) AS v JOIN edge AS e ON \(join)"
                if !edgeConds.isEmpty { step += " WHERE " + edgeConds.joined(separator: " AND ") }
                ctes.append("\(name)(start, node) AS (\n  \(first)\n  UNION\n  \(step)\n)")
                var table = name
                if hoisted {
                    let endNode = fromRight ? leftNode : rightNode
                    let (h, columns) = try hoistedClosure(name, endNode: endNode)
                    table = h
                    if let v = endNode.variable, !columns.isEmpty { ps.refs[v]?.propertyColumns = columns.mapValues { "\(a).\($0)" } }
                }
                addTraversalTable("\(table) AS \(a)", start: startAlias, &ps)
                ps.conditions.append("\(a).start = \(startAlias).id")
                ps.conditions.append("\(a).node = \(endAlias).id")
                addTraversalSources(a, start: startAlias, end: endAlias, &ps)
                return
            }
            var step = "SELECT v.start, \(next), v.depth + 1 FROM \(name) AS v JOIN edge AS e ON \(join) WHERE v.depth < \(maxHops)"
            for c in edgeConds { step += " AND " + c }
            ctes.append("\(name)(start, node, depth) AS (\n  SELECT id, id, 0 FROM node WHERE id IN (\(seed))\n  UNION\n  \(step)\n)")
            addTraversalTable("\(name) AS \(a)", start: startAlias, &ps)
            ps.conditions.append("\(a).start = \(startAlias).id AND \(a).node = \(endAlias).id AND \(a).depth >= \(minHops)")
            addTraversalSources(a, start: startAlias, end: endAlias, &ps)
            return
        }
        var step = "SELECT v.start, \(next), v.path || e.id || ',', v.depth + 1 FROM \(name) AS v JOIN edge AS e ON \(join) WHERE v.depth < \(maxHops) AND instr(v.path, ',' || e.id || ',') = 0"
        for c in edgeConds { step += " AND " + c }
        ctes.append("\(name)(start, node, path, depth) AS (\n  SELECT id, id, ',', 0 FROM node WHERE id IN (\(seed))\n  UNION ALL\n  \(step)\n)")
        let a = fresh("v")
        addTraversalTable("\(name) AS \(a)", start: startAlias, &ps)
        ps.conditions.append("\(a).start = \(startAlias).id AND \(a).node = \(endAlias).id AND \(a).depth >= \(minHops)")
        addTraversalSources(a, start: startAlias, end: endAlias, &ps)
        if let v = rel.variable {
            ps.refs[v] = VarRef(sql: "\(fromRight ? "cy_rlist_rev" : "cy_rlist")(\(a).path)", kind: .relationshipList)
            ps.newVariables.append(v)
        }
        ps.uniqueness.append(("\(a).path", true, rel.types))
    }

    /// Whether a variable-length relationship can be matched by node reachability instead of path
    /// enumeration: the rows are used only as a set, the relationship is unnamed and directed, its
    /// length starts at 0 or 1, and relationship uniqueness cannot bind: every other relationship
    /// of the MATCH has types, none of them among this one's (or there is no other).
    func nodeLevelReachability(_ rel: RelPattern, minHops: Int, _ ps: PatternSQL) -> Bool {
        guard ps.rowsAsSet, rel.variable == nil, rel.direction != .both, minHops <= 1 else { return false }
        let types = Set(rel.types)
        var others = 0
        for r in ps.allRels {
            if r.range == rel.range { continue }
            others += 1
            if types.isEmpty || r.types.isEmpty || !types.isDisjoint(with: r.types) { return false }
        }
        return others == ps.allRels.count - 1
    }

    /// Whether a variable-length relationship is traversed from its right end: the left end is
    /// neither bound nor constrained and the right one is.
    static func traversesFromRight(_ leftNode: NodePattern, _ rightNode: NodePattern, leftBound: Bool, rightBound: Bool) -> Bool {
        func constrained(_ n: NodePattern) -> Bool { !n.labels.isEmpty || n.properties != nil }
        return !leftBound && !constrained(leftNode) && (rightBound || constrained(rightNode))
    }

    /// Adds the table of a variable-length CTE right after its start node's table, as a CROSS
    /// JOIN: SQLite then reaches the traversal from the start node instead of scanning the
    /// traversal and filtering the (often single) start node against it.
    func addTraversalTable(_ entry: String, start: String, _ ps: inout PatternSQL) {
        if let i = ps.tables.firstIndex(of: "node AS \(start)") {
            ps.tables[i] += " CROSS JOIN " + entry
        } else {
            ps.tables.append(entry)
        }
    }

    /// The traversal row `a` names both ends of its walk (ends found otherwise keep their source).
    func addTraversalSources(_ a: String, start: String, end: String, _ ps: inout PatternSQL) {
        if ps.idSources[start] == nil { ps.idSources[start] = "\(a).start" }
        if ps.idSources[end] == nil { ps.idSources[end] = "\(a).node" }
    }

    func exprHasVariables(_ e: Expr?) -> Bool {
        guard let e else { return false }
        return !Binder().freeVariables(e).isEmpty
    }

    // MARK: - UNWIND, WHERE

    func compileUnwind(_ e: Expr, alias: String, _ pipe: Pipeline) throws -> Pipeline {
        let refs = pipe.refs()
        let list = try expr(e, refs)
        var select = pipe.variables.map { "\(refs[$0]!.carried.sql) AS \(Self.column($0))" }
        select.append("cy_elem(j.value) AS \(Self.column(alias))")
        let from = (pipe.source.map { "\($0), " } ?? "") + "json_each(cy_unwind(\(list))) AS j"
        var out = pipe
        out.fused = nil
        out.uniqueIDs = []
        out.variables.append(alias)
        out.kinds[alias] = .any
        out.source = addCTE("SELECT \(select.joined(separator: ", "))\n  FROM \(from)")
        return out
    }

    // MARK: - WITH / RETURN

    func compileProjection(_ p: Projection, _ pipe: Pipeline, final: Bool, where cond: Expr? = nil) throws -> (Pipeline, String?, [String]) {
        var refs = pipe.refs()
        if let f = pipe.fused {
            // Read the MATCH's tables directly instead of its CTE.
            ctes.removeAll { $0.hasPrefix("\(f.cte) AS ") }
            refs = f.refs
            memoNodeReads = f.joinsRelationships
        }
        defer { memoNodeReads = false }
        // A projected node variable keeps its id (`nodeID`): WITH carries the id, grouping and
        // DISTINCT compare ids, and only RETURN builds the value.
        var items: [(name: String, expr: Expr?, sql: String, kind: StaticType, nodeID: String?)] = []
        if p.star {
            for v in pipe.variables.sorted() { items.append((v, nil, refs[v]!.sql, refs[v]!.kind, refs[v]!.carried.isID ? refs[v]!.carried.sql : nil)) }
        }
        let binder = Binder()
        var aggregating = false
        for item in p.items {
            let sql = try expr(item.expr, refs)
            var kind: StaticType = .any
            var nodeID: String?
            if case .variable(let v) = item.expr.kind, let ref = refs[v] {
                kind = ref.kind
                if ref.carried.isID { nodeID = ref.carried.sql }
            }
            items.append((item.name, item.expr, sql, kind, nodeID))
            if binder.containsAggregate(item.expr) { aggregating = true }
        }
        // ORDER BY and WITH's WHERE see the projected names (as their expressions), projected
        // expressions (when aggregating or DISTINCT) and the old variables.
        var orderRefs = refs
        for item in items { orderRefs[item.name] = VarRef(sql: item.sql, kind: item.kind, nodeID: item.nodeID) }
        if aggregating || p.distinct {
            for item in items { if let e = item.expr { substitutions[Binder.key(e)] = item.sql } }
        }
        defer { substitutions = [:] }
        var orderColumns: [String] = []
        for s in p.orderBy { orderColumns.append(try expr(s.expr, orderRefs)) }
        let whereSQL = try cond.map { try expr($0, (aggregating || p.distinct) ? orderRefs.filter { name, _ in items.contains { $0.name == name } } : orderRefs) }
        substitutions = [:]

        let outColumns = final ? items.indices.map { "c\($0)" } : items.map { Self.column($0.name) }
        var select = zip(items, outColumns).map { "\(!final ? $0.nodeID ?? $0.sql : $0.sql) AS \($1)" }
        select += orderColumns.enumerated().map { "\($1) AS _o\($0)" }
        if let whereSQL { select.append("\(whereSQL) AS _w") }
        // The input variable each item is, when it is one (`WITH p` or `WITH p AS q`).
        let inputVariable = items.map { item -> String? in
            guard let e = item.expr else { return item.name }
            if case .variable(let v) = e.kind, pipe.variables.contains(v) { return v }
            return nil
        }
        var keys: [String] = []
        var groupedBy: [String] = []
        if aggregating {
            // Group a node or relationship of the pattern by its id: the same groups, no value built.
            let grouping = items.indices.filter { items[$0].expr.map { !binder.containsAggregate($0) } ?? true }.map { i -> (variable: String?, sql: String, name: String) in
                let item = items[i]
                if let id = item.nodeID { return (inputVariable[i], id, item.name) }
                if case .variable(let v)? = item.expr?.kind, let alias = refs[v]?.relAlias { return (inputVariable[i], "\(alias).id", item.name) }
                return (inputVariable[i], item.sql, item.name)
            }
            let needed = Self.neededKeys(grouping.map(\.variable), determinedBy: pipe.determinedBy)
            keys = grouping.indices.filter { needed[$0] }.map { grouping[$0].sql }
            groupedBy = grouping.indices.filter { needed[$0] }.map { grouping[$0].name }
        }
        var body: String
        if let f = pipe.fused, cond == nil,
           let correlated = correlatedAggregate(p, items.map { ($0.name, $0.expr, $0.sql) }, inputVariable, groupedBy, f, final: final) {
            body = correlated
            keys = []
        } else if let f = pipe.fused {
            let (tables, parts) = Self.pruneNodeTables(f.tables, select + keys + f.conditions, f.idSources)
            select = Array(parts[..<select.count])
            keys = Array(parts[select.count..<(select.count + keys.count)])
            body = Self.selectText(select: select, tables: tables, conditions: Array(parts[(select.count + keys.count)...]), distinct: p.distinct)
        } else {
            body = "SELECT \(p.distinct ? "DISTINCT " : "")\(select.isEmpty ? "1 AS _" : select.joined(separator: ", "))"
            body += pipe.source.map { "\n  FROM \($0)" } ?? ""
        }
        if !keys.isEmpty { body += "\n  GROUP BY \(keys.joined(separator: ", "))" }
        var visible = outColumns.isEmpty ? ["1 AS _"] : outColumns
        if whereSQL != nil { visible.append("_w") }
        if !p.orderBy.isEmpty || p.skip != nil || p.limit != nil {
            var outer = "SELECT \(visible.joined(separator: ", ")) FROM (\(body))"
            if !p.orderBy.isEmpty {
                outer += "\n  ORDER BY " + p.orderBy.enumerated().map { "cy_sortkey(_o\($0))\($1.descending ? " DESC" : "")" }.joined(separator: ", ")
            }
            let limit = try p.limit.map { "cy_count_value(\(try countExpr($0)))" } ?? "-1"
            outer += "\n  LIMIT \(limit)"
            if let skip = p.skip { outer += " OFFSET max(0, cy_count_value(\(try countExpr(skip))))" }
            body = outer
        }
        if whereSQL != nil {
            body = "SELECT \(outColumns.isEmpty ? "1 AS _" : outColumns.joined(separator: ", ")) FROM (\(body)) WHERE cy_true(_w)"
        }
        if final {
            return (pipe, body, items.map(\.name))
        }
        var out = Pipeline()
        out.variables = items.map(\.name)
        for item in items { out.kinds[item.name] = item.kind }
        out.idColumns = Set(items.filter { $0.nodeID != nil }.map(\.name))
        // One row per group: a node that is the only grouping key is on one row.
        if aggregating, groupedBy.count == 1, out.idColumns.contains(groupedBy[0]) { out.uniqueIDs = [groupedBy[0]] }
        // What determines what in the output: an aggregate, the grouping keys; a variable carried
        // through, what determined it, when that is carried too.
        var outputName: [String: String] = [:]
        for (i, item) in items.enumerated() { if let v = inputVariable[i], outputName[v] == nil { outputName[v] = item.name } }
        for (i, item) in items.enumerated() {
            if let e = item.expr, binder.containsAggregate(e) {
                out.determinedBy[item.name] = Set(groupedBy)
            } else if let v = inputVariable[i], let d = pipe.determinedBy[v] {
                let mapped = d.compactMap { outputName[$0] }
                if mapped.count == d.count { out.determinedBy[item.name] = Set(mapped) }
            }
        }
        out.source = addCTE(body, materialized: !p.orderBy.isEmpty)
        return (out, nil, [])
    }

    /// A WITH or RETURN right after a MATCH that went on from the rows of an earlier projection
    /// (`seed`), grouping by that projection's single grouping key (one row each) and adding one
    /// aggregate of the MATCH's rows: each seed row keeps its columns and gets the aggregate from
    /// a correlated subquery over the MATCH's tables, and is kept when the MATCH has a row for it.
    /// The same groups as joining the MATCH to the seed and grouping, without the join's rows
    /// being sorted back into groups.
    ///
    ///     MATCH (p:Paper)-[:USES_METHOD]->(m) WITH p, collect(m.id) AS methods
    ///     MATCH (p)-[:STUDIES]->(c) WITH p, methods, collect(c.id) AS classes
    ///     -- second WITH: SELECT "v_p", "v_methods", "v_classes" FROM (SELECT s."v_p", s."v_methods",
    ///     --   (SELECT CASE WHEN count(*) THEN cy_collect(…) END FROM edge … WHERE e.src = s."v_p") AS "v_classes"
    ///     --   FROM s LIMIT -1) WHERE "v_classes" IS NOT NULL
    ///
    /// An aggregate that can be null on rows that exist (`max`, `sum`, …) is kept by
    /// `WHERE EXISTS (SELECT 1 FROM edge … WHERE e.src = s."v_p")` instead.
    ///
    /// nil when the projection has another shape (DISTINCT, ORDER BY, SKIP, LIMIT, WHERE, another
    /// grouping key, an item that is neither a seed variable nor one aggregate call).
    func correlatedAggregate(_ p: Projection, _ items: [(name: String, expr: Expr?, sql: String)], _ inputVariable: [String?],
                             _ groupedBy: [String], _ f: Fused, final: Bool) -> String? {
        guard let seed = f.seed, !p.distinct, !p.star, p.orderBy.isEmpty, p.skip == nil, p.limit == nil,
              groupedBy.count == 1, let key = items.firstIndex(where: { $0.name == groupedBy[0] }),
              let keyVariable = inputVariable[key], seed.uniqueIDs.contains(keyVariable) else { return nil }
        let binder = Binder()
        var aggregate: Int?
        for (i, item) in items.enumerated() {
            guard let e = item.expr else { return nil }
            if binder.containsAggregate(e) {
                var isCall = false
                if case .countStar = e.kind { isCall = true }
                if case .call(let name, _, let args) = e.kind, Binder.aggregates.contains(name.lowercased()),
                   !args.contains(where: binder.containsAggregate) { isCall = true }
                guard isCall, aggregate == nil else { return nil }
                aggregate = i
            } else {
                guard let v = inputVariable[i], seed.refs[v] != nil else { return nil }
            }
        }
        guard let aggregate else { return nil }
        let (tables, parts) = Self.pruneNodeTables(f.tables, [items[aggregate].sql] + f.conditions, f.idSources)
        guard tables.first == seed.source, !tables.dropFirst().contains(where: { $0.contains(seed.source) }) else { return nil }
        let matchTables = Array(tables.dropFirst()), conditions = Array(parts.dropFirst())
        // SQL makes an aggregate whose argument reads only the outer query's columns an aggregate
        // of the outer query: such an argument must read a table of the MATCH too.
        if parts[0].contains(seed.source + ".") {
            let aliases = matchTables.flatMap { $0.components(separatedBy: " AS ").dropFirst().map { $0.prefix { $0 != " " } } }
            guard aliases.contains(where: { parts[0].contains($0 + ".") }) else { return nil }
        }
        // count() and collect() are never null on rows that exist: the subquery gives null when the
        // MATCH has no row, and the rows are kept on that, the MATCH walked once per row.
        var neverNull = false
        if case .countStar = items[aggregate].expr!.kind { neverNull = true }
        if case .call(let name, _, _) = items[aggregate].expr!.kind, ["count", "collect"].contains(name.lowercased()) { neverNull = true }
        let outColumns = final ? items.indices.map { "c\($0)" } : items.map { Self.column($0.name) }
        var select: [String] = []
        for i in items.indices {
            if i == aggregate {
                let value = neverNull ? "CASE WHEN count(*) THEN \(parts[0]) END" : parts[0]
                select.append("(\(Self.selectText(select: [value], tables: matchTables, conditions: conditions))) AS \(outColumns[i])")
            } else {
                let ref = seed.refs[inputVariable[i]!]!
                select.append("\(final ? ref.sql : ref.carried.sql) AS \(outColumns[i])")
            }
        }
        let body = "SELECT \(select.joined(separator: ", "))\n  FROM \(seed.source)"
        if neverNull {
            // LIMIT keeps the subquery's rows apart (SQLite does not flatten it into the outer
            // query), so the WHERE tests the value computed rather than computing it again.
            return "SELECT \(outColumns.joined(separator: ", ")) FROM (\(body)\n  LIMIT -1)\n  WHERE \(outColumns[aggregate]) IS NOT NULL"
        }
        return body + "\n  WHERE EXISTS (\(Self.selectText(select: ["1"], tables: matchTables, conditions: conditions)))"
    }

    /// A SKIP or LIMIT value; a known value (literal or parameter) is checked at compile time.
    func countExpr(_ e: Expr) throws -> String {
        if let v = constantValue(e) {
            // A parameter's value is known here but, as in openCypher, its error is a runtime one.
            var isParameter = false
            if case .parameter = e.kind { isParameter = true }
            switch v {
            case .int(let i) where i < 0:
                throw QueryError("SyntaxError", "NegativeIntegerArgument", "SKIP and LIMIT take a non-negative integer, got \(i)",
                                 at: e.range, phase: isParameter ? .runtime : .compileTime)
            case .int: break
            default:
                throw QueryError("SyntaxError", "InvalidArgumentType", "SKIP and LIMIT take an integer, got \(v.typeName)",
                                 at: e.range, phase: isParameter ? .runtime : .compileTime)
            }
        }
        return try expr(e, [:])
    }

    // MARK: - CREATE

    func compileCreate(_ patterns: [PatternPath], _ pipe: Pipeline, isLast: Bool) throws -> Pipeline {
        let refs = pipe.refs()
        var select = pipe.variables.map { "\(refs[$0]!.sql) AS \(Self.column($0))" }
        var nodes: [CreateStage.NodeItem] = []
        var rels: [CreateStage.RelItem] = []
        var known: [String: Int] = [:]   // variable → node item index
        var newVariables: [String] = []
        func propsColumn(_ e: Expr?) throws -> Int? {
            guard let e else { return nil }
            select.append("\(try expr(e, refs)) AS _c\(select.count)")
            return select.count - 1
        }
        for p in patterns {
            if p.pathName != nil { throw QueryError.unsupported("named paths", at: p.range) }
            var indices: [Int] = []
            for node in p.nodes {
                if let v = node.variable, let i = known[v] { indices.append(i); continue }
                let item = CreateStage.NodeItem(variable: node.variable, labels: node.labels,
                                                propertiesColumn: try propsColumn(node.properties))
                nodes.append(item)
                indices.append(nodes.count - 1)
                if let v = node.variable {
                    known[v] = nodes.count - 1
                    if refs[v] == nil { newVariables.append(v) }
                }
            }
            for (i, rel) in p.rels.enumerated() {
                let (from, to) = rel.direction == .incoming ? (indices[i + 1], indices[i]) : (indices[i], indices[i + 1])
                rels.append(CreateStage.RelItem(variable: rel.variable, type: rel.types.first ?? "",
                                                from: from, to: to, propertiesColumn: try propsColumn(rel.properties)))
                if let v = rel.variable { newVariables.append(v) }
            }
        }
        var sql = "SELECT \(select.isEmpty ? "1 AS _" : select.joined(separator: ", "))"
        if let source = pipe.source { sql += " FROM \(source)" }
        var out = Pipeline()
        out.variables = pipe.variables + newVariables
        out.kinds = pipe.kinds
        for v in newVariables { out.kinds[v] = rels.contains { $0.variable == v } ? .relationship : .node }
        let table = isLast ? nil : fresh("_create")
        stages.append(.create(CreateStage(sql: withPrefix() + sql, inputVariables: pipe.variables, nodes: nodes, rels: rels,
                                          outputTable: table, outputVariables: out.variables)))
        ctes = []
        out.source = table
        return out
    }

    // MARK: - Expressions

    func expr(_ e: Expr, _ refs: [String: VarRef]) throws -> String {
        if !substitutions.isEmpty, let s = substitutions[Binder.key(e)] { return s }
        switch e.kind {
        case .list, .map:
            if let constant = constantValue(e) { return bind(constant) }
        default: break
        }
        switch e.kind {
        case .null: return "NULL"
        case .bool(let b): return bind(.bool(b))
        case .int(let i): return bind(.int(i))
        case .float(let f): return bind(.float(f))
        case .string(let s): return bind(.string(s))
        case .parameter(let name):
            guard let value = parameters[name] else {
                throw QueryError("ParameterMissing", "MissingParameter", "parameter $\(name) has no value", at: e.range)
            }
            return bind(value)
        case .unsupported(let what): throw QueryError.unsupported(what, at: e.range)
        case .variable(let v):
            guard let ref = refs[v] else {
                throw QueryError.syntax("UndefinedVariable", "variable '\(v)' is not defined", at: e.range)
            }
            return ref.sql
        case .property(let base, let key):
            if case .variable(let v) = base.kind, let ref = refs[v] {
                if let column = ref.propertyColumns[key] { return column }
                if memoNodeReads, let alias = ref.nodeAlias { return Self.memoRead(id: "\(alias).id", key) }
                if let alias = ref.nodeAlias ?? ref.relAlias { return Self.propertyRead("\(alias).props", key) }
                if let id = ref.nodeID {
                    return ref.rowUnique ? "(SELECT \(Self.propertyRead("props", key)) FROM node WHERE id = \(id))" : Self.memoRead(id: id, key)
                }
                return entityProperty(ref.sql, key, kind: ref.kind)
            }
            return entityProperty(try expr(base, refs), key, kind: .any)
        case .list(let items):
            return "cy_list(\(try items.map { try expr($0, refs) }.joined(separator: ", ")))"
        case .map(let entries):
            var args: [String] = []
            for (k, v) in entries {
                args.append(bind(.string(k)))
                args.append(try expr(v, refs))
            }
            return "cy_map(\(args.joined(separator: ", ")))"
        case .index(let base, let index):
            let b = try expr(base, refs), i = try expr(index, refs)
            return "CASE cy_kind(\(b)) WHEN 4 THEN (SELECT cy_mapget(cy_props(props), \(i)) FROM node WHERE id = cy_nid(\(b))) WHEN 5 THEN (SELECT cy_mapget(cy_props(props), \(i)) FROM edge WHERE id = cy_rid(\(b))) ELSE cy_index(\(b), \(i)) END"
        case .slice(let base, let lo, let hi):
            let b = try expr(base, refs)
            let l = try lo.map { try expr($0, refs) } ?? bind(.int(0))
            let h = try hi.map { try expr($0, refs) } ?? bind(.int(Int64.max))
            return "cy_slice(\(b), \(l), \(h))"
        case .not(let a): return "cy_not(\(try expr(a, refs)))"
        case .negate(let a): return "cy_neg(\(try expr(a, refs)))"
        case .binary(let op, let a, let b):
            let l = try expr(a, refs), r = try expr(b, refs)
            let fn: String
            switch op {
            case "AND": fn = "cy_and"
            case "OR": fn = "cy_or"
            case "XOR": fn = "cy_xor"
            case "=": fn = "cy_eq"
            case "<>": fn = "cy_neq"
            case "<": fn = "cy_lt"
            case ">": fn = "cy_gt"
            case "<=": fn = "cy_le"
            case ">=": fn = "cy_ge"
            case "+": fn = "cy_add"
            case "-": fn = "cy_sub"
            case "*": fn = "cy_mul"
            case "/": fn = "cy_div"
            case "%": fn = "cy_mod"
            case "^": fn = "cy_pow"
            case "STARTS WITH": fn = "cy_starts"
            case "ENDS WITH": fn = "cy_ends"
            case "CONTAINS": fn = "cy_contains"
            case "IN": fn = "cy_in"
            case "=~": fn = "cy_regex"
            default: throw QueryError.unsupported("operator \(op)", at: e.range)
            }
            return "\(fn)(\(l), \(r))"
        case .isNull(let a, let negated):
            return "cy_bool((\(try expr(a, refs))) IS \(negated ? "NOT " : "")NULL)"
        case .hasLabels(let a, let labels):
            let x = try expr(a, refs)
            var id = "cy_nid(\(x))"
            if case .variable(let v) = a.kind, let nodeID = refs[v]?.nodeID { id = nodeID }
            let list = labels.map { bind(.string($0)) }.joined(separator: ", ")
            return "CASE WHEN \(x) IS NULL THEN NULL ELSE cy_bool((SELECT count(*) FROM node_label WHERE node = \(id) AND label IN (\(list))) = \(Set(labels).count)) END"
        case .countStar: return "count(*)"
        case .call(let name, let distinct, let args):
            return try call(name.lowercased(), distinct: distinct, args, refs, e.range)
        case .caseWhen(let subject, let whens, let otherwise):
            var sql = "CASE"
            let s = try subject.map { try expr($0, refs) }
            for (c, v) in whens {
                let test = try expr(c, refs)
                let cond = s.map { "cy_eqt(\($0), \(test))" } ?? "cy_true(\(test))"
                sql += " WHEN \(cond) THEN \(try expr(v, refs))"
            }
            if let o = otherwise { sql += " ELSE \(try expr(o, refs))" }
            return sql + " END"
        case .pattern(let p):
            var ps = PatternSQL(refs: refs, rowsAsSet: true, allRels: p.rels)
            try addPattern(p, &ps, seedSource: nil)
            addUniqueness(&ps)
            return existsSQL(ps)
        case .exists(_, _, let query?) where Self.needsFullSubquery(query):
            // A whole query inside EXISTS: its own CTE chain, correlated with the outer row.
            let saved = ctes
            ctes = []
            defer { ctes = saved }
            var selects: [String] = []
            for part in query.parts {
                if part.clauses.contains(where: { if case .create = $0 { return true }; return false }) {
                    throw QueryError.syntax("InvalidClauseComposition", "EXISTS { } cannot contain updating clauses", at: e.range)
                }
                var outer = refs
                if outer.isEmpty { outer = ["": VarRef(sql: "NULL", kind: .any)] }
                let (sql, _) = try compileSingle(part, outer: outer)
                if let sql { selects.append("SELECT 1 FROM (\(sql))") }
            }
            return "cy_bool(EXISTS (\(withPrefix())\(selects.joined(separator: " UNION ALL "))))"
        case .exists(let patterns, let cond, let query):
            var ps = PatternSQL(refs: refs)
            var whereExpr = cond
            var pats = patterns
            if let query {
                guard query.parts.count == 1 else { throw QueryError.unsupported("UNION inside EXISTS", at: e.range) }
                pats = []
                for clause in query.parts[0].clauses {
                    switch clause {
                    case let .match(false, ps2, c, _):
                        pats += ps2
                        if let c { whereExpr = whereExpr.map { Expr(kind: .binary("AND", $0, c), range: c.range) } ?? c }
                    case .ret: break
                    default: throw QueryError.unsupported("this clause inside EXISTS { }", at: clause.range)
                    }
                }
            }
            ps.rowsAsSet = true
            ps.allRels = pats.flatMap(\.rels)
            for p in pats { try addPattern(p, &ps, seedSource: nil) }
            addUniqueness(&ps)
            if let w = whereExpr { ps.conditions.append("cy_true(\(try expr(w, ps.refs)))") }
            return existsSQL(ps)
        }
    }

    /// The value of an expression made only of literals and parameters (bound as one parameter).
    func constantValue(_ e: Expr) -> CypherValue? {
        switch e.kind {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let f): return .float(f)
        case .string(let s): return .string(s)
        case .parameter(let name): return parameters[name]
        case .list(let items):
            var out: [CypherValue] = []
            for item in items { guard let v = constantValue(item) else { return nil }; out.append(v) }
            return .list(out)
        case .map(let entries):
            var out: [String: CypherValue] = [:]
            for (k, v) in entries { guard let c = constantValue(v) else { return nil }; out[k] = c }
            return .map(out)
        default: return nil
        }
    }

    /// Whether EXISTS { query } needs more than a pattern and a WHERE.
    static func needsFullSubquery(_ query: Query) -> Bool {
        if query.parts.count > 1 { return true }
        return query.parts[0].clauses.contains { clause in
            switch clause {
            case .match(false, _, _, _), .ret: return false
            default: return true
            }
        }
    }

    func existsSQL(_ ps: PatternSQL) -> String {
        let from = ps.tables.isEmpty ? "" : " FROM " + ps.tables.joined(separator: ", ")
        let conds = ps.conditions.isEmpty ? "" : " WHERE " + ps.conditions.joined(separator: " AND ")
        return "cy_bool(EXISTS (SELECT 1\(from)\(conds)))"
    }

    /// A property of a value that may be a node, a relationship or a map.
    func entityProperty(_ x: String, _ key: String, kind: StaticType) -> String {
        let node = "(SELECT \(Self.propertyRead("props", key)) FROM node WHERE id = cy_nid(\(x)))"
        let rel = "(SELECT \(Self.propertyRead("props", key)) FROM edge WHERE id = cy_rid(\(x)))"
        switch kind {
        case .node: return node
        case .relationship: return rel
        default:
            return "CASE cy_kind(\(x)) WHEN 4 THEN \(node) WHEN 5 THEN \(rel) ELSE cy_mapget(\(x), \(bind(.string(key)))) END"
        }
    }

    func call(_ name: String, distinct: Bool, _ args: [Expr], _ refs: [String: VarRef], _ range: TextRange) throws -> String {
        let a = try args.map { try expr($0, refs) }
        let d = distinct ? "DISTINCT " : ""
        func idOf(_ i: Int) -> String {
            if case .variable(let v) = args[i].kind, let alias = refs[v]?.nodeAlias { return "\(alias).id" }
            return "cy_nid(\(a[i]))"
        }
        switch name {
        case "count":
            // A node or relationship of the pattern counts as its id (the same count, no value built).
            if case .variable(let v) = args[0].kind, let id = refs[v]?.nodeID ?? refs[v]?.relAlias.map({ "\($0).id" }) {
                return "count(\(d)\(id))"
            }
            return "count(\(d)\(a[0]))"
        // collect(DISTINCT x) drops repeats itself, in one pass and without SQLite's temporary index.
        case "collect" where distinct: return "cy_collect_distinct(\(a[0]))"
        case "collect", "sum", "avg", "min", "max": return "cy_\(name)(\(d)\(a[0]))"
        case "coalesce": return a.count == 1 ? a[0] : "coalesce(\(a.joined(separator: ", ")))"
        case "id":
            if case .variable(let v) = args[0].kind, let id = refs[v]?.nodeID ?? refs[v]?.relAlias.map({ "\($0).id" }) { return id }
            return "coalesce(cy_nid(\(a[0])), cy_rid(\(a[0])))"
        case "labels":
            return "CASE WHEN \(a[0]) IS NULL THEN NULL ELSE (SELECT cy_collect(label) FROM (SELECT label FROM node_label WHERE node = cy_check_kind_id(\(a[0]), 4) ORDER BY label)) END"
        case "type":
            return "(SELECT type FROM edge WHERE id = cy_rid(cy_check_kind(\(a[0]), 5)))"
        case "keys":
            return "CASE cy_kind(\(a[0])) WHEN 4 THEN (SELECT cy_keys(props) FROM node WHERE id = cy_nid(\(a[0]))) WHEN 5 THEN (SELECT cy_keys(props) FROM edge WHERE id = cy_rid(\(a[0]))) ELSE cy_mapkeys(\(a[0])) END"
        case "properties":
            return "CASE cy_kind(\(a[0])) WHEN 4 THEN (SELECT cy_props(props) FROM node WHERE id = cy_nid(\(a[0]))) WHEN 5 THEN (SELECT cy_props(props) FROM edge WHERE id = cy_rid(\(a[0]))) ELSE cy_mapprops(\(a[0])) END"
        case "startnode": return "(SELECT cy_node(src) FROM edge WHERE id = cy_rid(cy_check_kind(\(a[0]), 5)))"
        case "endnode": return "(SELECT cy_node(dst) FROM edge WHERE id = cy_rid(cy_check_kind(\(a[0]), 5)))"
        default:
            _ = idOf
            guard ScalarFunctions.arity[name] != nil else {
                throw QueryError.syntax("UnknownFunction", "unknown function '\(name)'", at: range)
            }
            return "cy_f_\(name)(\(a.joined(separator: ", ")))"
        }
    }
}
