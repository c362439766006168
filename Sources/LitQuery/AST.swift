// The syntax tree of a query. Every node keeps its source range (UTF-8 offsets into the query
// text), for diagnostics and for the column names of unaliased projections.

/// A byte range in the query text.
public struct TextRange: Hashable, Sendable {
    public var start: Int
    public var end: Int
}

/// query := singleQuery (UNION [ALL] singleQuery)*
struct Query {
    var parts: [SingleQuery]
    /// `unionAll[i]` joins parts i and i+1.
    var unionAll: [Bool]
    var unionRanges: [TextRange]
}

/// singleQuery := clause+
struct SingleQuery {
    var clauses: [Clause]
}

enum Clause {
    /// [OPTIONAL] MATCH pattern (, pattern)* [WHERE expr]
    case match(optional: Bool, patterns: [PatternPath], where: Expr?, range: TextRange)
    /// UNWIND expr AS name
    case unwind(Expr, alias: String, aliasRange: TextRange, range: TextRange)
    /// WITH projection [WHERE expr]
    case with(Projection, where: Expr?, range: TextRange)
    /// RETURN projection
    case ret(Projection, range: TextRange)
    /// CREATE pattern (, pattern)*
    case create(patterns: [PatternPath], range: TextRange)

    var range: TextRange {
        switch self {
        case .match(_, _, _, let r), .unwind(_, _, _, let r), .with(_, _, let r), .ret(_, let r), .create(_, let r): r
        }
    }
}

/// projection := [DISTINCT] (* | item (, item)*) [ORDER BY sortItem (, sortItem)*] [SKIP expr] [LIMIT expr]
struct Projection {
    var distinct: Bool
    var star: Bool
    var items: [ProjectionItem]
    var orderBy: [SortItem]
    var skip: Expr?
    var limit: Expr?
}

/// item := expr [AS name]
struct ProjectionItem {
    var expr: Expr
    var alias: String?
    var aliasRange: TextRange?
    /// The column name: the alias, or the expression as written.
    var name: String
}

struct SortItem {
    var expr: Expr
    var descending: Bool
}

/// pattern := [name =] node (rel node)*
struct PatternPath {
    var pathName: String?
    var nodes: [NodePattern]
    var rels: [RelPattern]
    var range: TextRange
}

/// node := ( [name] (:Label)* [{map} | $param] )
struct NodePattern {
    var variable: String?
    var labels: [String]
    var properties: Expr?
    var range: TextRange
}

/// rel := <-[ [name] [:T (| T)*] [* [min] [.. [max]]] [{map}] ]-> (arrows optional)
struct RelPattern {
    enum Direction { case outgoing, incoming, both }
    var variable: String?
    var types: [String]
    var properties: Expr?
    var direction: Direction
    /// nil: a single relationship. Otherwise variable length with optional bounds.
    var length: (min: Int?, max: Int?)?
    var range: TextRange
}

indirect enum ExprKind {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case parameter(String)
    case variable(String)
    case property(Expr, String)
    case list([Expr])
    case map([(String, Expr)])
    case index(Expr, Expr)
    case slice(Expr, Expr?, Expr?)
    case not(Expr)
    case negate(Expr)
    case binary(String, Expr, Expr)   // OR XOR AND = <> < > <= >= + - * / % ^ STARTS ENDS CONTAINS IN =~
    case isNull(Expr, negated: Bool)
    case hasLabels(Expr, [String])
    case call(String, distinct: Bool, args: [Expr])
    case countStar
    case caseWhen(subject: Expr?, whens: [(Expr, Expr)], otherwise: Expr?)
    /// A pattern used as a predicate: `(a)-[:T]->()`.
    case pattern(PatternPath)
    /// EXISTS { pattern [WHERE expr] } or EXISTS { query }.
    case exists(patterns: [PatternPath], where: Expr?, query: Query?)
    /// Syntax we recognise but do not support (list comprehension, …).
    case unsupported(String)
}

struct Expr {
    var kind: ExprKind
    var range: TextRange
}
