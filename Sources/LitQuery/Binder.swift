// Stage 3: the binder. Walks the syntax tree clause by clause with the variables in scope and
// their static types, and reports the semantic errors openCypher defines at compile time
// (undefined and conflicting variables, misplaced aggregation, literal type errors, invalid
// SKIP/LIMIT, column conflicts, …). It needs no database; the SQL generator relies on its checks.
import Foundation

/// What the binder knows statically about a value.
enum StaticType: Equatable {
    case any, node, relationship, relationshipList, path
    case bool, int, float, string, list, map, null

    var isEntity: Bool { self == .node || self == .relationship }
}

struct Binder {
    typealias Scope = [String: StaticType]
    var errors: [QueryError] = []
    /// The variables a WITH's WHERE sees: the projection's, plus the old ones when it neither
    /// aggregates nor is DISTINCT.
    var lastWhereScope: Scope = [:]
    var lastProjected: Set<String>?
    var lastEverything: Scope = [:]
    var lastAggregating = false
    /// Labels and property keys the graph holds, for "did you mean" suggestions (optional).
    var parameters: Set<String>? = nil

    static let aggregates: Set<String> = ["count", "collect", "sum", "avg", "min", "max", "stdev", "stdevp", "percentiledisc", "percentilecont"]
    static let entityFunctions: Set<String> = ["id", "labels", "type", "keys", "properties", "startnode", "endnode", "exists", "coalesce", "nodes", "relationships", "length"]

    /// Checks a whole query; throws the first error.
    static func bind(_ query: Query) throws {
        var binder = Binder()
        try binder.bindQuery(query, outer: [:])
    }

    mutating func bindQuery(_ query: Query, outer: Scope) throws {
        var columns: [[String]] = []
        for part in query.parts {
            columns.append(try bindSingle(part, outer: outer, isSubquery: !outer.isEmpty || false))
        }
        if Set(query.unionAll).count > 1 {
            throw QueryError.syntax("InvalidClauseComposition", "UNION and UNION ALL cannot be mixed", at: query.unionRanges.first)
        }
        for (i, c) in columns.enumerated().dropFirst() where c != columns[0] {
            throw QueryError.syntax("DifferentColumnsInUnion", "all parts of a UNION must return the same columns", at: query.unionRanges[i - 1])
        }
    }

    /// Returns the column names of the part.
    mutating func bindSingle(_ part: SingleQuery, outer: Scope, isSubquery: Bool) throws -> [String] {
        var scope = outer
        var columns: [String] = []
        for (index, clause) in part.clauses.enumerated() {
            let isLast = index == part.clauses.count - 1
            switch clause {
            case let .match(_, patterns, cond, _):
                var introduced: Set<String> = []
                var relsInMatch: Set<String> = []
                for pattern in patterns {
                    try bindPattern(pattern, scope: &scope, introduced: &introduced, rels: &relsInMatch, creating: false)
                }
                if let cond {
                    try checkNoAggregate(cond, "WHERE")
                    try expectBooleanish(cond, scope)
                }
            case let .unwind(e, alias, aliasRange, _):
                try checkNoAggregate(e, "UNWIND")
                let t = try type(of: e, scope)
                if scope[alias] != nil {
                    throw QueryError.syntax("VariableAlreadyBound", "variable '\(alias)' is already defined", at: aliasRange)
                }
                _ = t
                scope[alias] = .any
            case let .with(projection, cond, range):
                scope = try bindProjection(projection, scope: scope, isWith: true, range: range)
                if let cond {
                    try checkNoAggregate(cond, "WHERE")
                    if let projected = lastProjected {
                        try checkOverProjection(cond, projected, lastWhereScope, lastEverything, aggregating: lastAggregating)
                    } else {
                        try expectBooleanish(cond, lastWhereScope)
                        _ = try type(of: cond, lastWhereScope)
                    }
                }
                if isLast && !isSubquery {
                    throw QueryError.syntax("InvalidClauseComposition", "a query cannot end with WITH", at: range)
                }
            case let .ret(projection, range):
                if !isLast {
                    throw QueryError.syntax("InvalidClauseComposition", "RETURN must be the last clause", at: range)
                }
                let newScope = try bindProjection(projection, scope: scope, isWith: false, range: range)
                columns = projectionColumns(projection, scope: scope)
                scope = newScope
            case let .create(patterns, _):
                var introduced: Set<String> = []
                var rels: Set<String> = []
                for pattern in patterns {
                    try bindPattern(pattern, scope: &scope, introduced: &introduced, rels: &rels, creating: true)
                }
            }
        }
        if let last = part.clauses.last, !isSubquery {
            switch last {
            case .ret, .create: break
            default:
                throw QueryError.syntax("InvalidClauseComposition", "a query must end with RETURN or an updating clause", at: last.range)
            }
        }
        return columns
    }

    func projectionColumns(_ p: Projection, scope: Scope) -> [String] {
        var names: [String] = []
        if p.star { names += scope.keys.sorted() }
        names += p.items.map(\.name)
        return names
    }

    mutating func bindPattern(_ pattern: PatternPath, scope: inout Scope, introduced: inout Set<String>,
                              rels: inout Set<String>, creating: Bool) throws {
        if let name = pattern.pathName {
            if scope[name] != nil {
                throw QueryError.syntax("VariableAlreadyBound", "variable '\(name)' is already defined", at: pattern.range)
            }
        }
        for node in pattern.nodes {
            if let props = node.properties { _ = try type(of: props, scope) }
            guard let name = node.variable else { continue }
            if let t = scope[name] {
                if t != .node && t != .any {
                    throw QueryError.syntax("VariableTypeConflict", "'\(name)' is a \(describe(t)), not a node", at: node.range)
                }
                if creating && (!node.labels.isEmpty || node.properties != nil) && !introduced.contains(name) {
                    throw QueryError.syntax("VariableAlreadyBound", "'\(name)' is already bound; CREATE cannot add labels or properties to it", at: node.range)
                }
                if creating && pattern.rels.isEmpty && !introduced.contains(name) {
                    throw QueryError.syntax("VariableAlreadyBound", "'\(name)' is already bound", at: node.range)
                }
            } else {
                scope[name] = .node
                introduced.insert(name)
            }
        }
        for rel in pattern.rels {
            if let props = rel.properties { _ = try type(of: props, scope) }
            if creating {
                if rel.types.count != 1 {
                    throw QueryError.syntax("NoSingleRelationshipType", "CREATE needs exactly one relationship type", at: rel.range)
                }
                if rel.direction == .both {
                    throw QueryError.syntax("RequiresDirectedRelationship", "CREATE needs a directed relationship", at: rel.range)
                }
                if rel.length != nil {
                    throw QueryError.syntax("CreatingVarLength", "CREATE cannot create a variable-length relationship", at: rel.range)
                }
            }
            guard let name = rel.variable else { continue }
            let want: StaticType = rel.length == nil ? .relationship : .relationshipList
            if let t = scope[name] {
                if rels.contains(name) {
                    throw QueryError.syntax("RelationshipUniquenessViolation", "relationship '\(name)' occurs twice in one pattern", at: rel.range)
                }
                if creating {
                    throw QueryError.syntax("VariableAlreadyBound", "'\(name)' is already bound", at: rel.range)
                }
                let compatible = t == .any || t == want || (want == .relationshipList && t == .list)
                if !compatible {
                    throw QueryError.syntax("VariableTypeConflict", "'\(name)' is a \(describe(t)), not a relationship", at: rel.range)
                }
            } else {
                scope[name] = want
                introduced.insert(name)
            }
            rels.insert(name)
        }
        if let name = pattern.pathName { scope[name] = .path }
    }

    func describe(_ t: StaticType) -> String {
        switch t {
        case .relationshipList: "list of relationships"
        case .relationship: "relationship"
        default: "\(t)"
        }
    }

    mutating func bindProjection(_ p: Projection, scope: Scope, isWith: Bool, range: TextRange) throws -> Scope {
        if p.star && scope.isEmpty {
            throw QueryError.syntax("NoVariablesInScope", "'*' needs variables in scope", at: range)
        }
        var newScope: Scope = [:]
        if p.star { newScope = scope }
        var names: Set<String> = p.star ? Set(scope.keys) : []
        var aggregating = false
        var groupingKeys: [String] = []   // source text of non-aggregate items
        var groupingVars: Set<String> = []
        var missingAlias: ProjectionItem?
        for item in p.items {
            if isWith, item.alias == nil, missingAlias == nil {
                if case .variable = item.expr.kind {} else { missingAlias = item }
            }
            if names.contains(item.name) {
                throw QueryError.syntax("ColumnNameConflict", "column '\(item.name)' is defined twice", at: item.aliasRange ?? item.expr.range)
            }
            names.insert(item.name)
            let t = try type(of: item.expr, scope)
            newScope[item.name] = t
            if containsAggregate(item.expr) { aggregating = true } else {
                groupingKeys.append(exprKey(item.expr))
                if case .variable(let v) = item.expr.kind { groupingVars.insert(v) }
            }
        }
        if p.star { groupingVars.formUnion(scope.keys) }
        // Inside an aggregating expression, the other parts must be grouping variables, their
        // properties, or constants (not other projected expressions).
        let simpleKeys = Set(p.items.filter { item in
            if case .property(let b, _) = item.expr.kind, case .variable = b.kind { return true }
            return false
        }.map { exprKey($0.expr) })
        _ = groupingKeys
        if aggregating {
            for item in p.items where containsAggregate(item.expr) {
                try checkAggregateItem(item.expr, keys: simpleKeys, vars: groupingVars)
            }
        }
        // ORDER BY sees the projected names, and the old variables unless aggregating/distinct;
        // then only expressions that are projected, or aggregates when the projection aggregates.
        var orderScope = newScope
        if !aggregating && !p.distinct { orderScope.merge(scope) { new, _ in new } }
        let projectedKeys = Set(p.items.map { exprKey($0.expr) })
        var everything = scope
        everything.merge(newScope) { _, new in new }
        for s in p.orderBy {
            if aggregating || p.distinct {
                if aggregating, containsAggregate(s.expr), !isAggregateCall(s.expr) {
                    if let v = variablesOutsideAggregates(s.expr, projectedKeys).first(where: { newScope[$0] == nil }) {
                        throw QueryError.syntax("UndefinedVariable", "'\(v)' is not projected, so ORDER BY cannot use it", at: s.expr.range)
                    }
                    var vars = groupingVars
                    vars.formUnion(newScope.keys)
                    try checkAggregateItem(s.expr, keys: simpleKeys, vars: vars)
                }
                try checkOverProjection(s.expr, projectedKeys, newScope, everything, aggregating: aggregating)
            } else {
                if containsAggregate(s.expr) {
                    throw QueryError.syntax("InvalidAggregation", "ORDER BY cannot aggregate when the projection does not", at: s.expr.range)
                }
                _ = try type(of: s.expr, orderScope)
            }
        }
        if let item = missingAlias {
            throw QueryError.syntax("NoExpressionAlias", "expressions in WITH need an alias: AS name", at: item.expr.range)
        }
        lastWhereScope = (aggregating || p.distinct) ? newScope : orderScope
        lastProjected = (aggregating || p.distinct) ? projectedKeys : nil
        lastEverything = everything
        lastAggregating = aggregating
        for e in [p.skip, p.limit].compactMap({ $0 }) {
            try checkCount(e)
        }
        return newScope
    }

    /// An ORDER BY item over an aggregating or DISTINCT projection.
    mutating func checkOverProjection(_ e: Expr, _ projected: Set<String>, _ newScope: Scope, _ all: Scope, aggregating: Bool) throws {
        if projected.contains(exprKey(e)) { return }
        switch e.kind {
        case .variable(let v):
            if newScope[v] == nil {
                throw QueryError.syntax("UndefinedVariable", "'\(v)' is not projected, so ORDER BY cannot use it", at: e.range)
            }
        case _ where isAggregateCall(e):
            if !aggregating {
                throw QueryError.syntax("InvalidAggregation", "ORDER BY cannot aggregate when the projection does not", at: e.range)
            }
            if let v = freeVariables(e).first(where: { newScope[$0] == nil }) {
                throw QueryError.syntax("UndefinedVariable", "'\(v)' is not projected, so ORDER BY cannot aggregate over it", at: e.range)
            }
            _ = try type(of: e, all)
        case .pattern, .exists:
            _ = try type(of: e, newScope)
        default:
            for child in children(e) { try checkOverProjection(child, projected, newScope, all, aggregating: aggregating) }
        }
    }

    /// Variables used outside aggregate calls and outside the projected expressions.
    func variablesOutsideAggregates(_ e: Expr, _ projected: Set<String>) -> [String] {
        if isAggregateCall(e) || projected.contains(exprKey(e)) { return [] }
        if case .variable(let v) = e.kind { return [v] }
        if case .exists = e.kind { return [] }
        return children(e).flatMap { variablesOutsideAggregates($0, projected) }
    }

    func isAggregateCall(_ e: Expr) -> Bool {
        if case .countStar = e.kind { return true }
        if case .call(let name, _, _) = e.kind { return Self.aggregates.contains(name.lowercased()) }
        return false
    }

    /// SKIP and LIMIT: constant, non-negative integers.
    func checkCount(_ e: Expr) throws {
        if !freeVariables(e).isEmpty || containsPattern(e) {
            throw QueryError.syntax("NonConstantExpression", "SKIP and LIMIT must not depend on variables", at: e.range)
        }
        switch e.kind {
        case .int(let v) where v < 0:
            throw QueryError.syntax("NegativeIntegerArgument", "SKIP and LIMIT take a non-negative integer", at: e.range)
        case .float, .string, .bool, .list, .map:
            throw QueryError.syntax("InvalidArgumentType", "SKIP and LIMIT take an integer", at: e.range)
        default: break
        }
    }

    /// In an aggregating projection, non-aggregate parts of an aggregate item must be grouping keys.
    func checkAggregateItem(_ e: Expr, keys: Set<String>, vars: Set<String>) throws {
        if keys.contains(exprKey(e)) { return }
        switch e.kind {
        case .call(let name, _, _) where Self.aggregates.contains(name.lowercased()): return
        case .countStar: return
        case .variable(let v):
            if !vars.contains(v) {
                throw QueryError.syntax("AmbiguousAggregationExpression", "'\(v)' is neither aggregated nor a grouping key", at: e.range)
            }
        case .property(let base, _):
            if case .variable(let v) = base.kind, !vars.contains(v) {
                throw QueryError.syntax("AmbiguousAggregationExpression", "'\(v)' is neither aggregated nor a grouping key", at: e.range)
            }
            try checkAggregateItem(base, keys: keys, vars: vars)
        default:
            for child in children(e) { try checkAggregateItem(child, keys: keys, vars: vars) }
        }
    }

    /// A structural key of an expression, independent of where it is written.
    static func key(_ e: Expr) -> String {
        "\(e.kind)".replacingOccurrences(of: #"range: [A-Za-z.]*TextRange\(start: [0-9]+, end: [0-9]+\)"#, with: "", options: .regularExpression)
    }
    func exprKey(_ e: Expr) -> String { Self.key(e) }

    func containsAggregate(_ e: Expr) -> Bool {
        switch e.kind {
        case .countStar: return true
        case .call(let name, _, _) where Self.aggregates.contains(name.lowercased()): return true
        case .exists: return false
        default: return children(e).contains(where: containsAggregate)
        }
    }

    func containsPattern(_ e: Expr) -> Bool {
        if case .pattern = e.kind { return true }
        if case .exists = e.kind { return true }
        return children(e).contains(where: containsPattern)
    }

    func checkNoAggregate(_ e: Expr, _ place: String) throws {
        if containsAggregate(e) {
            throw QueryError.syntax("InvalidAggregation", "aggregation is not allowed in \(place)", at: e.range)
        }
    }

    func children(_ e: Expr) -> [Expr] {
        switch e.kind {
        case .null, .bool, .int, .float, .string, .parameter, .variable, .countStar, .unsupported: return []
        case .property(let b, _): return [b]
        case .list(let items): return items
        case .map(let entries): return entries.map(\.1)
        case .index(let a, let b): return [a, b]
        case .slice(let a, let b, let c): return [a] + [b, c].compactMap { $0 }
        case .not(let a), .negate(let a): return [a]
        case .binary(_, let a, let b): return [a, b]
        case .isNull(let a, _): return [a]
        case .hasLabels(let a, _): return [a]
        case .call(_, _, let args): return args
        case .caseWhen(let s, let whens, let o): return [s].compactMap { $0 } + whens.flatMap { [$0.0, $0.1] } + [o].compactMap { $0 }
        case .pattern(let p): return p.nodes.compactMap(\.properties) + p.rels.compactMap(\.properties)
        case .exists(let patterns, let cond, _):
            return patterns.flatMap { p in p.nodes.compactMap(\.properties) + p.rels.compactMap(\.properties) } + [cond].compactMap { $0 }
        }
    }

    func freeVariables(_ e: Expr) -> [String] {
        switch e.kind {
        case .variable(let v): return [v]
        case .pattern(let p): return p.nodes.compactMap(\.variable) + p.rels.compactMap(\.variable) + children(e).flatMap(freeVariables)
        case .exists: return []
        default: return children(e).flatMap(freeVariables)
        }
    }

    func expectBooleanish(_ e: Expr, _ scope: Scope) throws {
        let t = try typeNoMutate(e, scope)
        if [.int, .float, .string, .list, .map, .node, .relationship].contains(t) {
            throw QueryError.syntax("InvalidArgumentType", "WHERE expects a boolean", at: e.range)
        }
    }

    func typeNoMutate(_ e: Expr, _ scope: Scope) throws -> StaticType {
        var copy = self
        return try copy.type(of: e, scope)
    }

    /// The static type of an expression, checking variables, literal types and functions.
    mutating func type(of e: Expr, _ scope: Scope) throws -> StaticType {
        switch e.kind {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        case .parameter: return .any
        case .unsupported(let what): throw QueryError.unsupported(what, at: e.range)
        case .variable(let v):
            guard let t = scope[v] else {
                throw QueryError.syntax("UndefinedVariable", "variable '\(v)' is not defined", at: e.range,
                                        suggestions: scope.keys.sorted())
            }
            return t
        case .property(let base, _):
            let t = try type(of: base, scope)
            if [.bool, .int, .float, .string, .list, .relationshipList].contains(t) {
                throw QueryError("TypeError", "InvalidArgumentType", "cannot read a property of a \(describe(t))", at: e.range)
            }
            return .any
        case .list(let items):
            for i in items { _ = try type(of: i, scope) }
            return .list
        case .map(let entries):
            for (_, v) in entries { _ = try type(of: v, scope) }
            return .map
        case .index(let a, let b):
            let ta = try type(of: a, scope), tb = try type(of: b, scope)
            if ta == .list || ta == .relationshipList, [.string, .bool, .float, .map, .list].contains(tb) {
                throw QueryError("TypeError", "InvalidArgumentType", "a list index must be an integer", at: b.range)
            }
            if [.int, .float, .bool, .string].contains(ta) {
                throw QueryError("TypeError", "InvalidArgumentType", "cannot index a \(ta)", at: a.range)
            }
            if ta == .map || ta.isEntity, [.int, .bool, .float, .list, .map].contains(tb) {
                throw QueryError.syntax("InvalidArgumentType", "a map key must be a string", at: b.range)
            }
            return .any
        case .slice(let a, let b, let c):
            _ = try type(of: a, scope)
            if let b { _ = try type(of: b, scope) }
            if let c { _ = try type(of: c, scope) }
            return .list
        case .not(let a):
            try expectBool(try type(of: a, scope), a)
            return .bool
        case .negate(let a):
            let t = try type(of: a, scope)
            if [.bool, .string, .list, .map, .node, .relationship].contains(t) {
                throw QueryError.syntax("InvalidArgumentType", "cannot negate a \(describe(t))", at: a.range)
            }
            return t == .int || t == .float ? t : .any
        case .binary(let op, let a, let b):
            let ta = try type(of: a, scope), tb = try type(of: b, scope)
            switch op {
            case "AND", "OR", "XOR":
                try expectBool(ta, a)
                try expectBool(tb, b)
                return .bool
            case "=", "<>", "<", ">", "<=", ">=", "STARTS WITH", "ENDS WITH", "CONTAINS", "=~":
                return .bool
            case "IN":
                if [.bool, .int, .float, .string, .map, .node, .relationship].contains(tb) {
                    throw QueryError.syntax("InvalidArgumentType", "IN expects a list", at: b.range)
                }
                return .bool
            case "+":
                if ta == .list || tb == .list { return .list }
                if ta == .string || tb == .string {
                    if [.bool, .map, .node, .relationship].contains(ta) || [.bool, .map, .node, .relationship].contains(tb) {
                        throw QueryError.syntax("InvalidArgumentType", "cannot add \(describe(ta)) and \(describe(tb))", at: e.range)
                    }
                    return .string
                }
                fallthrough
            default:
                let bad: [StaticType] = [.bool, .string, .list, .map, .node, .relationship]
                if bad.contains(ta) || bad.contains(tb) {
                    throw QueryError.syntax("InvalidArgumentType", "cannot apply \(op) to \(describe(ta)) and \(describe(tb))", at: e.range)
                }
                if op == "^" { return .float }
                if ta == .int && tb == .int { return .int }
                if (ta == .float || ta == .int) && (tb == .float || tb == .int) { return .float }
                return .any
            }
        case .isNull(let a, _):
            _ = try type(of: a, scope)
            return .bool
        case .hasLabels(let a, _):
            let t = try type(of: a, scope)
            if [.bool, .int, .float, .string, .list, .map].contains(t) {
                throw QueryError.syntax("InvalidArgumentType", "label predicates apply to nodes", at: a.range)
            }
            return .bool
        case .countStar: return .int
        case .call(let name, _, let args):
            let lower = name.lowercased()
            var types: [StaticType] = []
            for arg in args {
                if Self.aggregates.contains(lower), containsAggregate(arg) {
                    throw QueryError.syntax("NestedAggregation", "aggregate functions cannot be nested", at: arg.range)
                }
                types.append(try type(of: arg, scope))
            }
            return try functionType(lower, name: name, types, args, e.range)
        case .caseWhen(let s, let whens, let o):
            if let s { _ = try type(of: s, scope) }
            for (c, v) in whens {
                _ = try type(of: c, scope)
                _ = try type(of: v, scope)
            }
            if let o { _ = try type(of: o, scope) }
            return .any
        case .pattern(let p):
            // Pattern predicates may not introduce variables.
            for name in p.nodes.compactMap(\.variable) + p.rels.compactMap(\.variable) where scope[name] == nil {
                throw QueryError.syntax("UndefinedVariable", "variable '\(name)' is not defined; a pattern predicate cannot introduce variables", at: p.range)
            }
            var inner = scope
            var introduced: Set<String> = []
            var rels: Set<String> = []
            try bindPattern(p, scope: &inner, introduced: &introduced, rels: &rels, creating: false)
            return .bool
        case .exists(let patterns, let cond, let query):
            var inner = scope
            if let query {
                try bindQuery(query, outer: inner.isEmpty ? ["": .any] : inner)
                return .bool
            }
            var introduced: Set<String> = []
            var rels: Set<String> = []
            for p in patterns { try bindPattern(p, scope: &inner, introduced: &introduced, rels: &rels, creating: false) }
            if let cond { _ = try type(of: cond, inner) }
            return .bool
        }
    }

    func expectBool(_ t: StaticType, _ e: Expr) throws {
        if [.int, .float, .string, .list, .map, .node, .relationship, .relationshipList].contains(t) {
            throw QueryError.syntax("InvalidArgumentType", "expected a boolean, got a \(describe(t))", at: e.range)
        }
    }

    func functionType(_ lower: String, name: String, _ t: [StaticType], _ args: [Expr], _ range: TextRange) throws -> StaticType {
        func arity(_ r: ClosedRange<Int>) throws {
            if !r.contains(t.count) {
                throw QueryError.syntax("InvalidNumberOfArguments", "\(name)() takes \(r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound)") arguments", at: range)
            }
        }
        func reject(_ bad: [StaticType], _ i: Int = 0) throws {
            if i < t.count, bad.contains(t[i]) {
                throw QueryError.syntax("InvalidArgumentType", "\(name)() does not accept a \(describe(t[i]))", at: args[i].range)
            }
        }
        let scalars: [StaticType] = [.bool, .int, .float, .string]
        switch lower {
        case "count", "collect", "sum", "avg", "min", "max":
            try arity(1...1)
            return lower == "count" ? .int : lower == "collect" ? .list : .any
        case "id":
            try arity(1...1); try reject(scalars + [.list, .map]); return .int
        case "labels":
            try arity(1...1); try reject(scalars + [.list, .map, .relationship]); return .list
        case "type":
            try arity(1...1); try reject(scalars + [.list, .map, .node]); return .string
        case "keys":
            try arity(1...1); try reject(scalars + [.list]); return .list
        case "properties":
            try arity(1...1); try reject(scalars + [.list]); return .map
        case "startnode", "endnode":
            try arity(1...1); try reject(scalars + [.list, .map, .node]); return .node
        case "coalesce":
            if t.isEmpty { try arity(1...Int.max) }
            return .any
        case "exists":
            throw QueryError.unsupported("exists() function", at: range)
        case "nodes", "relationships", "length":
            throw QueryError.unsupported("path functions", at: range)
        case "size":
            try arity(1...1)
            if case .pattern = args[0].kind {
                throw QueryError("SyntaxError", "InvalidArgumentType", "size() of a pattern is not supported; use COUNT { }", at: args[0].range)
            }
            try reject([.bool, .int, .float, .node, .relationship]); return .int
        case "tostring", "tointeger", "tofloat", "toboolean":
            try arity(1...1)
            try reject([.list, .map, .node, .relationship, .relationshipList])
            if lower == "toboolean" { try reject([.float]) }
            if lower == "tofloat" || lower == "tointeger" { try reject([.bool]) }
            return lower == "tostring" ? .string : lower == "tointeger" ? .int : lower == "tofloat" ? .float : .bool
        case "rand", "timestamp", "randomuuid":
            throw QueryError.unsupported("\(name)()", at: range)
        default:
            if let r = ScalarFunctions.arity[lower] {
                try arity(r)
                return .any
            }
            if ["date", "datetime", "time", "localtime", "localdatetime", "duration"].contains(where: { lower.hasPrefix($0) }) {
                throw QueryError.unsupported("temporal functions", at: range)
            }
            throw QueryError.syntax("UnknownFunction", "unknown function '\(name)'", at: range)
        }
    }
}

extension QueryError {
    static func syntax(_ detail: String, _ message: String, at range: TextRange?, suggestions: [String]) -> QueryError {
        var e = QueryError.syntax(detail, message, at: range)
        if let name = message.split(separator: "'").dropFirst().first.map(String.init),
           let best = Suggest.closest(to: name, among: suggestions) {
            e.notes = ["did you mean '\(best)'?"]
        }
        return e
    }
}

/// "Did you mean" by edit distance.
public enum Suggest {
    public static func closest(to word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates where c != word {
            let d = distance(word.lowercased(), c.lowercased())
            let allowed = word.count <= 3 ? 1 : max(2, word.count / 3)
            if d <= allowed, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
