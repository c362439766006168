// Stage 2: the parser. Recursive descent over the lexer's tokens into the syntax tree of AST.swift.
// It never traps: a syntax error becomes a `QueryError` with the offending range, the parser
// skips to the next clause keyword and goes on, so one run reports every clause that is wrong.
import Foundation

struct Parser {
    let source: String
    let sourceBytes: [UInt8]
    var tokens: [Token]
    var pos = 0
    var errors: [QueryError] = []

    init(_ source: String) {
        self.source = source
        self.sourceBytes = Array(source.utf8)
        self.tokens = Lexer.tokenize(source)
    }

    /// Parses a whole query; `errors` is empty when it succeeded.
    static func parse(_ source: String) -> (Query?, [QueryError]) {
        var parser = Parser(source)
        let query = parser.parseTop()
        return (parser.errors.isEmpty ? query : nil, parser.errors)
    }

    // MARK: tokens

    var current: Token { tokens[pos] }
    func peek(_ n: Int = 1) -> Token { tokens[min(pos + n, tokens.count - 1)] }
    mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }
    var previousEnd: Int { pos > 0 ? tokens[pos - 1].end : 0 }

    func text(_ range: TextRange) -> String {
        let s = max(0, min(range.start, sourceBytes.count)), e = max(s, min(range.end, sourceBytes.count))
        return String(decoding: sourceBytes[s..<e], as: UTF8.self)
    }

    mutating func accept(keyword: String) -> Bool {
        if current.isKeyword(keyword) { advance(); return true }
        return false
    }
    mutating func accept(_ symbol: String) -> Bool {
        if current.isSymbol(symbol) { advance(); return true }
        return false
    }
    mutating func expect(_ symbol: String) throws {
        guard accept(symbol) else { throw unexpected(expected: "'\(symbol)'") }
    }
    mutating func expect(keyword: String) throws {
        guard accept(keyword: keyword) else { throw unexpected(expected: keyword) }
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: return "end of input"
        case .invalid(let m): return m
        default: return "'\(text(TextRange(start: token.start, end: token.end)))'"
        }
    }

    func unexpected(expected: String) -> QueryError {
        let t = current
        let range = TextRange(start: t.start, end: max(t.end, t.start + 1))
        if case .invalid(let message) = t.kind {
            let detail = message.hasPrefix("invalid number") ? "InvalidNumberLiteral"
                : message.contains("unicode escape") ? "InvalidUnicodeLiteral"
                : message.contains("Unicode character") ? "InvalidUnicodeCharacter" : "UnexpectedSyntax"
            return .syntax(detail, message, at: range)
        }
        return .syntax("UnexpectedSyntax", "expected \(expected), found \(describe(t))", at: range)
    }

    static let clauseKeywords = ["MATCH", "OPTIONAL", "WITH", "RETURN", "UNWIND", "CREATE", "MERGE", "SET",
                                 "DELETE", "DETACH", "REMOVE", "CALL", "FOREACH", "UNION", "LOAD"]
    static let reserved: Set<String> = ["MATCH", "OPTIONAL", "WITH", "RETURN", "UNWIND", "CREATE", "WHERE",
        "ORDER", "BY", "SKIP", "LIMIT", "AND", "OR", "XOR", "NOT", "AS", "UNION", "DISTINCT", "IN", "IS",
        "STARTS", "ENDS", "CONTAINS", "CASE", "WHEN", "THEN", "ELSE", "END", "MERGE", "SET", "DELETE",
        "REMOVE", "ASC", "ASCENDING", "DESC", "DESCENDING", "DETACH", "CALL", "YIELD", "FOREACH"]

    func atClauseStart() -> Bool {
        Self.clauseKeywords.contains { current.isKeyword($0) }
    }

    // MARK: query structure

    mutating func parseTop() -> Query {
        var parts: [SingleQuery] = [parseSingle()]
        var all: [Bool] = []
        var ranges: [TextRange] = []
        while current.isKeyword("UNION") {
            let start = current.start
            advance()
            all.append(accept(keyword: "ALL"))
            ranges.append(TextRange(start: start, end: previousEnd))
            parts.append(parseSingle())
        }
        _ = accept(";")
        if current.kind != .end && errors.isEmpty {
            errors.append(unexpected(expected: "a clause or the end of the query"))
        }
        return Query(parts: parts, unionAll: all, unionRanges: ranges)
    }

    mutating func parseSingle() -> SingleQuery {
        var clauses: [Clause] = []
        while current.kind != .end && !current.isKeyword("UNION") && !current.isSymbol(";") && !current.isSymbol("}") {
            let before = pos
            do {
                clauses.append(try parseClause())
            } catch let error as QueryError {
                errors.append(error)
                // Recover: skip to the next clause keyword.
                if pos == before { advance() }
                while current.kind != .end && !atClauseStart() { advance() }
            } catch {
                preconditionFailure("parser threw \(error)")
            }
        }
        if clauses.isEmpty && errors.isEmpty {
            errors.append(unexpected(expected: "a clause (MATCH, RETURN, …)"))
        }
        return SingleQuery(clauses: clauses)
    }

    mutating func parseClause() throws -> Clause {
        let start = current.start
        func range() -> TextRange { TextRange(start: start, end: previousEnd) }
        if accept(keyword: "OPTIONAL") {
            try expect(keyword: "MATCH")
            let patterns = try parsePatternList()
            let cond = accept(keyword: "WHERE") ? try parseExpr() : nil
            return .match(optional: true, patterns: patterns, where: cond, range: range())
        }
        if accept(keyword: "MATCH") {
            let patterns = try parsePatternList()
            let cond = accept(keyword: "WHERE") ? try parseExpr() : nil
            return .match(optional: false, patterns: patterns, where: cond, range: range())
        }
        if accept(keyword: "UNWIND") {
            let e = try parseExpr()
            try expect(keyword: "AS")
            let aliasStart = current.start
            let name = try parseName()
            return .unwind(e, alias: name, aliasRange: TextRange(start: aliasStart, end: previousEnd), range: range())
        }
        if accept(keyword: "WITH") {
            let projection = try parseProjection(isWith: true)
            let cond = accept(keyword: "WHERE") ? try parseExpr() : nil
            return .with(projection, where: cond, range: range())
        }
        if accept(keyword: "RETURN") {
            let projection = try parseProjection(isWith: false)
            return .ret(projection, range: range())
        }
        if accept(keyword: "CREATE") {
            return .create(patterns: try parsePatternList(), range: range())
        }
        for word in ["MERGE", "SET", "DELETE", "DETACH", "REMOVE", "CALL", "FOREACH", "LOAD"] where current.isKeyword(word) {
            throw QueryError.unsupported(word.uppercased() == "DETACH" ? "DELETE" : word, at: TextRange(start: current.start, end: current.end))
        }
        throw unexpected(expected: "a clause (MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CREATE)")
    }

    mutating func parseName() throws -> String {
        switch current.kind {
        case .identifier(let s):
            advance()
            return s
        case .quotedIdentifier(let s):
            advance()
            return s
        default:
            throw unexpected(expected: "a name")
        }
    }

    /// A name that is not a reserved word (variables).
    mutating func parseVariableName() throws -> String {
        if case .identifier(let s) = current.kind, Self.reserved.contains(s.uppercased()) {
            throw unexpected(expected: "a variable name")
        }
        return try parseName()
    }

    mutating func parseProjection(isWith: Bool) throws -> Projection {
        let distinct = accept(keyword: "DISTINCT")
        var star = false
        var items: [ProjectionItem] = []
        if accept("*") {
            star = true
            while accept(",") { items.append(try parseProjectionItem()) }
        } else {
            items.append(try parseProjectionItem())
            while accept(",") { items.append(try parseProjectionItem()) }
        }
        var order: [SortItem] = []
        if accept(keyword: "ORDER") {
            try expect(keyword: "BY")
            repeat {
                let e = try parseExpr()
                var desc = false
                if accept(keyword: "DESC") || accept(keyword: "DESCENDING") { desc = true } else {
                    _ = accept(keyword: "ASC") || accept(keyword: "ASCENDING")
                }
                order.append(SortItem(expr: e, descending: desc))
            } while accept(",")
        }
        let skip = accept(keyword: "SKIP") ? try parseExpr() : nil
        let limit = accept(keyword: "LIMIT") ? try parseExpr() : nil
        return Projection(distinct: distinct, star: star, items: items, orderBy: order, skip: skip, limit: limit)
    }

    mutating func parseProjectionItem() throws -> ProjectionItem {
        let e = try parseExpr()
        if accept(keyword: "AS") {
            let aliasStart = current.start
            let alias = try parseVariableName()
            return ProjectionItem(expr: e, alias: alias, aliasRange: TextRange(start: aliasStart, end: previousEnd), name: alias)
        }
        return ProjectionItem(expr: e, alias: nil, aliasRange: nil, name: text(e.range))
    }

    // MARK: patterns

    mutating func parsePatternList() throws -> [PatternPath] {
        var out = [try parsePattern()]
        while accept(",") { out.append(try parsePattern()) }
        return out
    }

    mutating func parsePattern() throws -> PatternPath {
        let start = current.start
        var pathName: String?
        if case .identifier = current.kind, peek().isSymbol("=") {
            pathName = try parseName()
            advance()
        }
        if case .identifier(let f) = current.kind, peek().isSymbol("("),
           ["shortestPath", "allShortestPaths"].contains(where: { $0.caseInsensitiveCompare(f) == .orderedSame }) {
            throw QueryError.unsupported("shortestPath", at: TextRange(start: current.start, end: current.end))
        }
        var path = try parsePatternElement()
        path.pathName = pathName
        path.range = TextRange(start: start, end: previousEnd)
        return path
    }

    mutating func parsePatternElement() throws -> PatternPath {
        let start = current.start
        // A parenthesised pattern element: ((a)-->(b))
        if current.isSymbol("("), peek().isSymbol("(") {
            advance()
            let inner = try parsePatternElement()
            try expect(")")
            return inner
        }
        var nodes = [try parseNodePattern()]
        var rels: [RelPattern] = []
        while current.isSymbol("-") || current.isSymbol("<") {
            rels.append(try parseRelPattern())
            nodes.append(try parseNodePattern())
        }
        return PatternPath(pathName: nil, nodes: nodes, rels: rels, range: TextRange(start: start, end: previousEnd))
    }

    mutating func parseNodePattern() throws -> NodePattern {
        let start = current.start
        try expect("(")
        var variable: String?
        if case .identifier = current.kind { variable = try parseVariableName() } else if case .quotedIdentifier = current.kind { variable = try parseName() }
        var labels: [String] = []
        while accept(":") {
            labels.append(try parseName())
            while accept("|") {
                throw QueryError.unsupported("label expressions", at: TextRange(start: current.start, end: current.end))
            }
        }
        var props: Expr?
        if current.isSymbol("{") { props = try parseMapLiteral() } else if case .parameter = current.kind { props = try parseAtom() }
        try expect(")")
        return NodePattern(variable: variable, labels: labels, properties: props, range: TextRange(start: start, end: previousEnd))
    }

    mutating func parseRelPattern() throws -> RelPattern {
        let start = current.start
        var leftArrow = false
        if accept("<") { leftArrow = true }
        try expect("-")
        var variable: String?
        var types: [String] = []
        var props: Expr?
        var length: (Int?, Int?)?
        if accept("[") {
            if case .identifier = current.kind { variable = try parseVariableName() } else if case .quotedIdentifier = current.kind { variable = try parseName() }
            if accept(":") {
                types.append(try parseName())
                while accept("|") {
                    _ = accept(":")
                    types.append(try parseName())
                }
            }
            if current.isSymbol("..") {
                throw QueryError.syntax("InvalidRelationshipPattern", "a variable-length relationship needs '*' before its bounds", at: TextRange(start: current.start, end: current.end))
            }
            if accept("*") {
                if current.isSymbol("-") {
                    throw QueryError.syntax("InvalidRelationshipPattern", "the bounds of a variable-length relationship cannot be negative", at: TextRange(start: current.start, end: current.end))
                }
                var lo: Int?, hi: Int?
                func int() throws -> Int? {
                    if case .integer(let s) = current.kind {
                        advance()
                        guard let v = Int(s) else { throw QueryError.syntax("InvalidNumberLiteral", "invalid length bound '\(s)'", at: nil) }
                        return v
                    }
                    return nil
                }
                lo = try int()
                if accept("..") {
                    hi = try int()
                } else if lo != nil {
                    hi = lo
                }
                length = (lo, hi)
            }
            if current.isSymbol("{") { props = try parseMapLiteral() } else if case .parameter = current.kind { props = try parseAtom() }
            try expect("]")
        }
        try expect("-")
        var rightArrow = false
        if accept(">") { rightArrow = true }
        let range = TextRange(start: start, end: previousEnd)
        // `<-->` means either direction, like `--`.
        let direction: RelPattern.Direction = leftArrow == rightArrow ? .both : leftArrow ? .incoming : .outgoing
        return RelPattern(variable: variable, types: types, properties: props, direction: direction,
                          length: length.map { (min: $0.0, max: $0.1) }, range: range)
    }

    // MARK: expressions

    mutating func parseExpr() throws -> Expr { try parseOr() }

    mutating func binary(_ op: String, _ l: Expr, _ r: Expr) -> Expr {
        Expr(kind: .binary(op, l, r), range: TextRange(start: l.range.start, end: r.range.end))
    }

    mutating func parseOr() throws -> Expr {
        var l = try parseXor()
        while accept(keyword: "OR") { l = binary("OR", l, try parseXor()) }
        return l
    }
    mutating func parseXor() throws -> Expr {
        var l = try parseAnd()
        while accept(keyword: "XOR") { l = binary("XOR", l, try parseAnd()) }
        return l
    }
    mutating func parseAnd() throws -> Expr {
        var l = try parseNot()
        while accept(keyword: "AND") { l = binary("AND", l, try parseNot()) }
        return l
    }
    mutating func parseNot() throws -> Expr {
        if current.isKeyword("NOT") {
            let start = current.start
            advance()
            let inner = try parseNot()
            return Expr(kind: .not(inner), range: TextRange(start: start, end: inner.range.end))
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws -> Expr {
        let first = try parsePredicates()
        var operands = [first]
        var ops: [String] = []
        while true {
            var op: String?
            for s in ["=", "<>", "<", ">", "<=", ">=", "!="] where current.isSymbol(s) { op = s }
            guard let found = op else { break }
            if found == "!=" { throw unexpected(expected: "'<>' for inequality") }
            advance()
            ops.append(found)
            operands.append(try parsePredicates())
        }
        if ops.isEmpty { return first }
        var result = binary(ops[0], operands[0], operands[1])
        for i in 1..<ops.count {
            result = binary("AND", result, binary(ops[i], operands[i], operands[i + 1]))
        }
        // Column naming uses the whole chain's text.
        result.range = TextRange(start: first.range.start, end: operands.last!.range.end)
        return result
    }

    mutating func parsePredicates() throws -> Expr {
        var l = try parseAdditive()
        while true {
            if current.isKeyword("STARTS") {
                advance(); try expect(keyword: "WITH")
                l = binary("STARTS WITH", l, try parseAdditive())
            } else if current.isKeyword("ENDS") {
                advance(); try expect(keyword: "WITH")
                l = binary("ENDS WITH", l, try parseAdditive())
            } else if current.isKeyword("CONTAINS") {
                advance()
                l = binary("CONTAINS", l, try parseAdditive())
            } else if current.isKeyword("IN") {
                advance()
                l = binary("IN", l, try parseAdditive())
            } else if current.isSymbol("=~") {
                advance()
                l = binary("=~", l, try parseAdditive())
            } else if current.isKeyword("IS") {
                advance()
                let negated = accept(keyword: "NOT")
                try expect(keyword: "NULL")
                l = Expr(kind: .isNull(l, negated: negated), range: TextRange(start: l.range.start, end: previousEnd))
            } else {
                return l
            }
        }
    }

    mutating func parseAdditive() throws -> Expr {
        var l = try parseMultiplicative()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op = current.isSymbol("+") ? "+" : "-"
            advance()
            l = binary(op, l, try parseMultiplicative())
        }
        return l
    }
    mutating func parseMultiplicative() throws -> Expr {
        var l = try parsePower()
        while current.isSymbol("*") || current.isSymbol("/") || current.isSymbol("%") {
            let op = current.isSymbol("*") ? "*" : current.isSymbol("/") ? "/" : "%"
            advance()
            l = binary(op, l, try parsePower())
        }
        return l
    }
    mutating func parsePower() throws -> Expr {
        var l = try parseUnary()
        while accept("^") { l = binary("^", l, try parseUnary()) }
        return l
    }
    mutating func parseUnary() throws -> Expr {
        let start = current.start
        if accept("-") {
            // A negative literal, so that -9223372036854775808 is representable.
            if case .integer(let digits) = current.kind {
                let t = current
                advance()
                let value = try Self.integer("-" + digits, range: TextRange(start: start, end: t.end))
                let lit = Expr(kind: .int(value), range: TextRange(start: start, end: t.end))
                return try parsePostfix(lit)
            }
            let inner = try parseUnary()
            return Expr(kind: .negate(inner), range: TextRange(start: start, end: inner.range.end))
        }
        if accept("+") {
            let inner = try parseUnary()
            return Expr(kind: inner.kind, range: TextRange(start: start, end: inner.range.end))
        }
        return try parsePostfix(try parseAtom())
    }

    static func integer(_ text: String, range: TextRange) throws -> Int64 {
        var digits = text
        var negative = false
        if digits.hasPrefix("-") { negative = true; digits.removeFirst() }
        var radix = 10
        if digits.hasPrefix("0x") { radix = 16; digits.removeFirst(2) } else if digits.hasPrefix("0o") { radix = 8; digits.removeFirst(2) }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit && Int(String($0), radix: radix) != nil }) else {
            throw QueryError.syntax("InvalidNumberLiteral", "invalid number literal '\(text)'", at: range)
        }
        guard let magnitude = UInt64(digits, radix: radix) else {
            throw QueryError.syntax("IntegerOverflow", "integer literal '\(text)' is too large", at: range)
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            guard magnitude <= UInt64(Int64.max) else {
                throw QueryError.syntax("IntegerOverflow", "integer literal '\(text)' is too large", at: range)
            }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else {
            throw QueryError.syntax("IntegerOverflow", "integer literal '\(text)' is too large", at: range)
        }
        return Int64(magnitude)
    }

    mutating func parsePostfix(_ base: Expr) throws -> Expr {
        var e = base
        while true {
            if current.isSymbol("."), case .identifier = peek().kind {
                advance()
                let key = try parseName()
                e = Expr(kind: .property(e, key), range: TextRange(start: e.range.start, end: previousEnd))
            } else if current.isSymbol("."), case .quotedIdentifier = peek().kind {
                advance()
                let key = try parseName()
                e = Expr(kind: .property(e, key), range: TextRange(start: e.range.start, end: previousEnd))
            } else if current.isSymbol("[") {
                advance()
                if accept("..") {
                    let hi = current.isSymbol("]") ? nil : try parseExpr()
                    try expect("]")
                    e = Expr(kind: .slice(e, nil, hi), range: TextRange(start: e.range.start, end: previousEnd))
                    continue
                }
                let index = try parseExpr()
                if accept("..") {
                    let hi = current.isSymbol("]") ? nil : try parseExpr()
                    try expect("]")
                    e = Expr(kind: .slice(e, index, hi), range: TextRange(start: e.range.start, end: previousEnd))
                    continue
                }
                try expect("]")
                e = Expr(kind: .index(e, index), range: TextRange(start: e.range.start, end: previousEnd))
            } else if current.isSymbol(":"), case .identifier = peek().kind {
                var labels: [String] = []
                while accept(":") { labels.append(try parseName()) }
                e = Expr(kind: .hasLabels(e, labels), range: TextRange(start: e.range.start, end: previousEnd))
            } else {
                return e
            }
        }
    }

    mutating func parseMapLiteral() throws -> Expr {
        let start = current.start
        try expect("{")
        var entries: [(String, Expr)] = []
        if !current.isSymbol("}") {
            repeat {
                let key: String
                switch current.kind {
                case .identifier(let s), .quotedIdentifier(let s): key = s; advance()
                default:
                    var e = unexpected(expected: "a map key")
                    e.detail = "UnexpectedSyntax"
                    throw e
                }
                try expect(":")
                entries.append((key, try parseExpr()))
            } while accept(",")
        }
        try expect("}")
        return Expr(kind: .map(entries), range: TextRange(start: start, end: previousEnd))
    }

    /// Tries to read a relationship pattern `(a)-[…]-(b)…` at the current position.
    mutating func tryPattern() -> PatternPath? {
        let save = pos
        let savedErrors = errors
        if let p = try? parsePatternElement(), !p.rels.isEmpty { return p }
        pos = save
        errors = savedErrors
        return nil
    }

    mutating func parseAtom() throws -> Expr {
        let t = current
        let start = t.start
        func here() -> TextRange { TextRange(start: start, end: previousEnd) }
        switch t.kind {
        case .integer(let s):
            advance()
            return Expr(kind: .int(try Self.integer(s, range: here())), range: here())
        case .float(let s):
            advance()
            guard let v = Double(s) else { throw QueryError.syntax("InvalidNumberLiteral", "invalid number '\(s)'", at: here()) }
            if v.isInfinite { throw QueryError.syntax("FloatingPointOverflow", "float literal '\(s)' is too large", at: here()) }
            return Expr(kind: .float(v), range: here())
        case .string(let s):
            advance()
            return Expr(kind: .string(s), range: here())
        case .parameter(let name):
            advance()
            return Expr(kind: .parameter(name), range: here())
        case .symbol("["):
            advance()
            var items: [Expr] = []
            if !current.isSymbol("]") {
                // List comprehension: [x IN list WHERE … | …]
                if case .identifier = current.kind, peek().isKeyword("IN") {
                    throw QueryError.unsupported("list comprehension", at: TextRange(start: start, end: current.end))
                }
                if current.isSymbol("(") , let _ = tryPattern() {
                    throw QueryError.unsupported("pattern comprehension", at: TextRange(start: start, end: current.end))
                }
                repeat { items.append(try parseExpr()) } while accept(",")
            }
            try expect("]")
            return Expr(kind: .list(items), range: here())
        case .symbol("{"):
            return try parseMapLiteral()
        case .symbol("("):
            if let pattern = tryPattern() {
                return Expr(kind: .pattern(pattern), range: pattern.range)
            }
            advance()
            let inner = try parseExpr()
            try expect(")")
            return Expr(kind: inner.kind, range: here())
        case .identifier(let word), .quotedIdentifier(let word):
            let quoted: Bool = { if case .quotedIdentifier = t.kind { return true }; return false }()
            let upper = word.uppercased()
            if !quoted {
                switch upper {
                case "NULL": advance(); return Expr(kind: .null, range: here())
                case "TRUE": advance(); return Expr(kind: .bool(true), range: here())
                case "FALSE": advance(); return Expr(kind: .bool(false), range: here())
                case "CASE": return try parseCase()
                case "EXISTS" where peek().isSymbol("{"):
                    return try parseExists()
                case "ANY", "ALL", "NONE", "SINGLE":
                    if peek().isSymbol("(") {
                        throw QueryError.unsupported("quantifier \(word)", at: TextRange(start: t.start, end: t.end))
                    }
                case "REDUCE" where peek().isSymbol("("):
                    throw QueryError.unsupported("reduce", at: TextRange(start: t.start, end: t.end))
                default: break
                }
            }
            advance()
            // Function call: name(…) or namespace.name(…)
            var name = word
            var lookahead = pos
            while tokens[lookahead].isSymbol("."), case .identifier(let part) = tokens[lookahead + 1].kind, tokens[lookahead + 2].isSymbol("(") || tokens[lookahead + 2].isSymbol(".") {
                name += "." + part
                lookahead += 2
            }
            if !quoted, tokens[lookahead].isSymbol("(") {
                pos = lookahead
                advance()
                if name.caseInsensitiveCompare("count") == .orderedSame, current.isSymbol("*") {
                    advance()
                    try expect(")")
                    return Expr(kind: .countStar, range: here())
                }
                let distinct = accept(keyword: "DISTINCT")
                var args: [Expr] = []
                if !current.isSymbol(")") {
                    repeat { args.append(try parseExpr()) } while accept(",")
                }
                try expect(")")
                return Expr(kind: .call(name, distinct: distinct, args: args), range: here())
            }
            if !quoted, Self.reserved.contains(upper) && !["END"].contains(upper) {
                pos -= 1
                throw unexpected(expected: "an expression")
            }
            return Expr(kind: .variable(word), range: here())
        default:
            throw unexpected(expected: "an expression")
        }
    }

    mutating func parseCase() throws -> Expr {
        let start = current.start
        advance()
        var subject: Expr?
        if !current.isKeyword("WHEN") { subject = try parseExpr() }
        var whens: [(Expr, Expr)] = []
        while accept(keyword: "WHEN") {
            let cond = try parseExpr()
            try expect(keyword: "THEN")
            whens.append((cond, try parseExpr()))
        }
        if whens.isEmpty { throw unexpected(expected: "WHEN") }
        let otherwise = accept(keyword: "ELSE") ? try parseExpr() : nil
        try expect(keyword: "END")
        return Expr(kind: .caseWhen(subject: subject, whens: whens, otherwise: otherwise), range: TextRange(start: start, end: previousEnd))
    }

    mutating func parseExists() throws -> Expr {
        let start = current.start
        advance()
        try expect("{")
        // Either a pattern with an optional WHERE, or a full query.
        if atClauseStart() {
            let inner = parseSingle()
            var parts = [inner]
            var all: [Bool] = []
            while current.isKeyword("UNION") {
                advance()
                all.append(accept(keyword: "ALL"))
                parts.append(parseSingle())
            }
            try expect("}")
            let q = Query(parts: parts, unionAll: all, unionRanges: [])
            return Expr(kind: .exists(patterns: [], where: nil, query: q), range: TextRange(start: start, end: previousEnd))
        }
        let patterns = try parsePatternList()
        let cond = accept(keyword: "WHERE") ? try parseExpr() : nil
        try expect("}")
        return Expr(kind: .exists(patterns: patterns, where: cond, query: nil), range: TextRange(start: start, end: previousEnd))
    }
}
