// Warnings about names a query uses that the graph does not hold: a label, relationship type or
// property key that no node or relationship has, with the closest name that does ("did you mean
// 'Paper'?"). Cypher allows such names (the query just matches nothing), so these are warnings.
import Foundation
import GRDB
import LitModel
import LitStore

public enum QueryLinter {
    struct Use {
        enum Kind: String { case label, type = "relationship type", property = "property key" }
        var kind: Kind
        var name: String
        var range: TextRange
    }

    /// Warnings for `text` against the names in `store`. Property keys are checked only when
    /// `checkProperties` is set (it reads every property map of the graph).
    public static func warnings(for text: String, file: String = "<query>", store: GraphStore,
                                checkProperties: Bool) throws -> [Diagnostic] {
        let (parsed, errors) = Parser.parse(text)
        guard errors.isEmpty, let query = parsed else { return [] }
        var uses: [Use] = []
        let bytes = Array(text.utf8)
        for part in query.parts { for clause in part.clauses { collect(clause, &uses, bytes) } }
        if uses.isEmpty { return [] }
        let known: (labels: [String], types: [String], keys: [String]) = try store.read { db in
            let labels = try String.fetchAll(db, sql: "SELECT DISTINCT label FROM node_label")
            let types = try String.fetchAll(db, sql: "SELECT DISTINCT type FROM edge")
            var keys: [String] = []
            if checkProperties {
                keys = try String.fetchAll(db, sql: "SELECT DISTINCT key FROM node, json_each(node.props) UNION SELECT DISTINCT key FROM edge, json_each(edge.props)")
            }
            return (labels, types, keys)
        }
        if known.labels.isEmpty && known.types.isEmpty { return [] }
        var out: [Diagnostic] = []
        var seen: Set<String> = []
        for use in uses {
            let pool: [String]
            switch use.kind {
            case .label: pool = known.labels
            case .type: pool = known.types
            case .property:
                guard checkProperties else { continue }
                pool = known.keys
            }
            guard !pool.contains(use.name), seen.insert("\(use.kind)|\(use.name)").inserted else { continue }
            var error = QueryError("Warning", "UnknownName", "no \(use.kind.rawValue) '\(use.name)' in the graph", at: use.range)
            if let best = Suggest.closest(to: use.name, among: pool) { error.notes = ["did you mean '\(best)'?"] }
            var d = error.diagnostic(source: text, file: file)
            d.severity = .warning
            d.id = "query.unknown-\(use.kind == .label ? "label" : use.kind == .type ? "type" : "property")"
            out.append(d)
        }
        return out
    }

    /// The range of `name` inside `range` of the query text (falls back to the whole range).
    static func locate(_ name: String, in range: TextRange, _ bytes: [UInt8]) -> TextRange {
        let needle = Array(name.utf8)
        guard !needle.isEmpty, range.end <= bytes.count, range.start < range.end else { return range }
        var i = range.start
        while i + needle.count <= range.end {
            if Array(bytes[i..<i + needle.count]) == needle { return TextRange(start: i, end: i + needle.count) }
            i += 1
        }
        return range
    }

    static func collect(_ clause: Clause, _ uses: inout [Use], _ bytes: [UInt8]) {
        switch clause {
        case let .match(_, patterns, cond, _):
            for p in patterns { collect(p, &uses, bytes) }
            if let cond { collect(cond, &uses, bytes) }
        case let .unwind(e, _, _, _): collect(e, &uses, bytes)
        case let .with(p, cond, _):
            collect(p, &uses, bytes)
            if let cond { collect(cond, &uses, bytes) }
        case let .ret(p, _): collect(p, &uses, bytes)
        case .create: break
        }
    }

    static func collect(_ p: Projection, _ uses: inout [Use], _ bytes: [UInt8]) {
        for item in p.items { collect(item.expr, &uses, bytes) }
        for s in p.orderBy { collect(s.expr, &uses, bytes) }
    }

    static func collect(_ p: PatternPath, _ uses: inout [Use], _ bytes: [UInt8]) {
        for n in p.nodes {
            for l in n.labels { uses.append(Use(kind: .label, name: l, range: locate(l, in: n.range, bytes))) }
            if let props = n.properties { collect(props, &uses, bytes, mapKeysAreProperties: true) }
        }
        for r in p.rels {
            for t in r.types { uses.append(Use(kind: .type, name: t, range: locate(t, in: r.range, bytes))) }
            if let props = r.properties { collect(props, &uses, bytes, mapKeysAreProperties: true) }
        }
    }

    static func collect(_ e: Expr, _ uses: inout [Use], _ bytes: [UInt8], mapKeysAreProperties: Bool = false) {
        switch e.kind {
        case .property(let base, let key):
            if case .variable = base.kind {
                let r = TextRange(start: max(e.range.start, e.range.end - key.utf8.count), end: e.range.end)
                uses.append(Use(kind: .property, name: key, range: r))
            }
            collect(base, &uses, bytes)
            return
        case .map(let entries) where mapKeysAreProperties:
            for (k, v) in entries {
                uses.append(Use(kind: .property, name: k, range: locate(k, in: e.range, bytes)))
                collect(v, &uses, bytes)
            }
            return
        case .hasLabels(let base, let labels):
            for l in labels { uses.append(Use(kind: .label, name: l, range: locate(l, in: e.range, bytes))) }
            collect(base, &uses, bytes)
            return
        case .pattern(let p):
            collect(p, &uses, bytes)
            return
        case .exists(let patterns, let cond, _):
            for p in patterns { collect(p, &uses, bytes) }
            if let cond { collect(cond, &uses, bytes) }
            return
        default: break
        }
        for child in Binder().children(e) { collect(child, &uses, bytes) }
    }
}
