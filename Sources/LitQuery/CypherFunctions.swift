// Stage 5 support: the SQL functions generated queries call, registered on the store's connection
// through GraphStore's `prepare` hook. They implement Cypher's semantics on the value encoding of
// CypherValue.swift: three-valued logic, integer vs float arithmetic, type errors instead of
// coercion, Cypher equality and ordering. A type error is thrown as a `RuntimeFailure`, whose text
// the executor turns back into a classified `QueryError`.
import Foundation
import GRDB

/// A runtime error raised inside an SQL function; its description is parsed back by the executor.
struct RuntimeFailure: Error, CustomStringConvertible {
    var type: String
    var detail: String
    var message: String
    static let marker = "cypher-runtime|"
    var description: String { "\(Self.marker)\(type)|\(detail)|\(message)" }

    static func type(_ message: String) -> RuntimeFailure {
        RuntimeFailure(type: "TypeError", detail: "InvalidArgumentType", message: message)
    }
    static func argument(_ detail: String, _ message: String) -> RuntimeFailure {
        RuntimeFailure(type: "ArgumentError", detail: detail, message: message)
    }

    /// Recovers a failure from an SQLite error message.
    static func parse(_ message: String) -> RuntimeFailure? {
        guard let r = message.range(of: marker) else { return nil }
        let parts = message[r.upperBound...].split(separator: "|", maxSplits: 2).map(String.init)
        guard parts.count == 3 else { return nil }
        return RuntimeFailure(type: parts[0], detail: parts[1], message: parts[2])
    }
}

enum CypherFunctions {
    typealias Fn = @Sendable ([CypherValue]) throws -> CypherValue

    static func v(_ d: DatabaseValue) -> CypherValue { CypherValue(d) }

    /// Registers every function on `db`.
    static func register(_ db: Database) {
        func add(_ name: String, _ argc: Int?, _ body: @escaping Fn) {
            NativeFunctions.register(db, name, argc, body)
        }
        // Entities (cy_node, cy_rel, cy_nid, cy_rid), property reads (cy_prop), cy_bool, cy_true,
        // cy_eq, cy_neq and cy_eqt: NativeFunctions.
        NativeFunctions.registerHotFunctions(db)
        db.add(function: DatabaseFunction("cy_kind", argumentCount: 1, pure: true) { a in
            switch a[0].storage {
            case .null: return nil
            case .int64: return Int64(Tag.int.rawValue)
            case .double: return Int64(Tag.float.rawValue)
            case .string: return Int64(Tag.string.rawValue)
            case .blob(let d): return d.first.map { Int64($0) }
            }
        })
        db.add(function: DatabaseFunction("cy_props", argumentCount: 1, pure: true) { a in
            guard let text = String.fromDatabaseValue(a[0]) else { return nil }
            return CypherValue.parseJSON(text).databaseValue
        })
        db.add(function: DatabaseFunction("cy_keys", argumentCount: 1, pure: true) { a in
            guard let text = String.fromDatabaseValue(a[0]), case .map(let m) = CypherValue.parseJSON(text) else { return nil }
            return CypherValue.list(m.keys.sorted().map { .string($0) }).databaseValue
        })
        add("cy_mapget", 2) { a in
            switch a[0] {
            case .null: return .null
            case .map(let m):
                guard case .string(let k) = a[1] else {
                    if a[1].isNull { return .null }
                    throw RuntimeFailure(type: "TypeError", detail: "MapElementAccessByNonString", message: "map keys are strings")
                }
                return m[k] ?? .null
            default: throw RuntimeFailure.type("cannot read a property of a \(a[0].typeName)")
            }
        }
        // Constructors
        add("cy_list", nil) { .list($0) }
        add("cy_map", nil) { a in
            var m: [String: CypherValue] = [:]
            var i = 0
            while i + 1 < a.count {
                if case .string(let k) = a[i] { m[k] = a[i + 1] }
                i += 2
            }
            return .map(m)
        }
        // Logic
        add("cy_not", 1) { a in
            switch try logic(a[0]) { case nil: .null; case let b?: .bool(!b) }
        }
        add("cy_and", 2) { a in
            let l = try logic(a[0]), r = try logic(a[1])
            if l == false || r == false { return .bool(false) }
            if l == nil || r == nil { return .null }
            return .bool(true)
        }
        add("cy_or", 2) { a in
            let l = try logic(a[0]), r = try logic(a[1])
            if l == true || r == true { return .bool(true) }
            if l == nil || r == nil { return .null }
            return .bool(false)
        }
        add("cy_xor", 2) { a in
            guard let l = try logic(a[0]), let r = try logic(a[1]) else { return .null }
            return .bool(l != r)
        }
        // Comparison
        // NaN compares false with every number.
        @Sendable func isNaNComparison(_ a: [CypherValue]) -> Bool {
            guard let x = a[0].asDouble, let y = a[1].asDouble else { return false }
            return x.isNaN || y.isNaN
        }
        add("cy_lt", 2) { a in isNaNComparison(a) ? .bool(false) : CypherValue.compare(a[0], a[1]).map { .bool($0 == .orderedAscending) } ?? .null }
        add("cy_le", 2) { a in isNaNComparison(a) ? .bool(false) : CypherValue.compare(a[0], a[1]).map { .bool($0 != .orderedDescending) } ?? .null }
        add("cy_gt", 2) { a in isNaNComparison(a) ? .bool(false) : CypherValue.compare(a[0], a[1]).map { .bool($0 == .orderedDescending) } ?? .null }
        add("cy_ge", 2) { a in isNaNComparison(a) ? .bool(false) : CypherValue.compare(a[0], a[1]).map { .bool($0 != .orderedAscending) } ?? .null }
        NativeFunctions.registerSortKey(db)
        add("cy_in", 2) { a in
            switch a[1] {
            case .null: return .null
            case .list(let items):
                if a[0].isNull { return items.isEmpty ? .bool(false) : .null }
                var unknown = false
                for item in items {
                    switch CypherValue.equals(a[0], item) {
                    case true?: return .bool(true)
                    case nil: unknown = true
                    default: break
                    }
                }
                return unknown ? .null : .bool(false)
            default: throw RuntimeFailure.type("IN expects a list, got \(a[1].typeName)")
            }
        }
        // Strings
        func stringPredicate(_ name: String, _ test: @escaping @Sendable (String, String) -> Bool) {
            add(name, 2) { a in
                guard case .string(let l) = a[0], case .string(let r) = a[1] else { return .null }
                return .bool(test(l, r))
            }
        }
        stringPredicate("cy_starts") { $0.hasPrefix($1) }
        stringPredicate("cy_ends") { $0.hasSuffix($1) }
        stringPredicate("cy_contains") { $1.isEmpty || $0.contains($1) }
        add("cy_regex", 2) { a in
            guard case .string(let s) = a[0], case .string(let pattern) = a[1] else { return .null }
            guard let re = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$", options: [.dotMatchesLineSeparators]) else {
                throw RuntimeFailure.argument("InvalidArgumentValue", "invalid regular expression '\(pattern)'")
            }
            let range = NSRange(s.startIndex..., in: s)
            return .bool(re.firstMatch(in: s, range: range) != nil)
        }
        // Arithmetic
        add("cy_add", 2) { a in try add2(a[0], a[1]) }
        add("cy_sub", 2) { a in try arith(a[0], a[1], "-", { $0.subtractingReportingOverflow($1) }, { $0 - $1 }) }
        add("cy_mul", 2) { a in try arith(a[0], a[1], "*", { $0.multipliedReportingOverflow(by: $1) }, { $0 * $1 }) }
        add("cy_div", 2) { a in
            if case .int(let r) = a[1], case .int = a[0], r == 0 {
                throw RuntimeFailure(type: "ArithmeticError", detail: "DivisionByZero", message: "division by zero")
            }
            return try arith(a[0], a[1], "/", { $0.dividedReportingOverflow(by: $1) }, { $0 / $1 })
        }
        add("cy_mod", 2) { a in
            if case .int(let r) = a[1], case .int = a[0], r == 0 {
                throw RuntimeFailure(type: "ArithmeticError", detail: "DivisionByZero", message: "division by zero")
            }
            return try arith(a[0], a[1], "%", { $0.remainderReportingOverflow(dividingBy: $1) }, { fmod($0, $1) })
        }
        add("cy_pow", 2) { a in
            if a[0].isNull || a[1].isNull { return .null }
            guard let l = a[0].asDouble, let r = a[1].asDouble else {
                throw RuntimeFailure.type("cannot raise \(a[0].typeName) to \(a[1].typeName)")
            }
            return .float(pow(l, r))
        }
        add("cy_neg", 1) { a in
            switch a[0] {
            case .null: return .null
            case .int(let i):
                let (r, o) = Int64(0).subtractingReportingOverflow(i)
                if o { throw RuntimeFailure(type: "ArithmeticError", detail: "IntegerOverflow", message: "integer overflow") }
                return .int(r)
            case .float(let f): return .float(-f)
            default: throw RuntimeFailure.type("cannot negate a \(a[0].typeName)")
            }
        }
        // Lists
        add("cy_index", 2) { a in
            switch (a[0], a[1]) {
            case (.null, _), (_, .null): return .null
            case let (.list(items), .int(i)):
                let idx = i < 0 ? Int64(items.count) + i : i
                return idx >= 0 && idx < items.count ? items[Int(idx)] : .null
            case (.list, _): throw RuntimeFailure(type: "TypeError", detail: "ListElementAccessByNonInteger", message: "list index must be an integer")
            case let (.map(m), .string(k)): return m[k] ?? .null
            case (.map, _): throw RuntimeFailure(type: "TypeError", detail: "MapElementAccessByNonString", message: "map key must be a string")
            default: throw RuntimeFailure.type("cannot index a \(a[0].typeName)")
            }
        }
        add("cy_slice", 3) { a in
            guard case .list(let items) = a[0] else {
                if a[0].isNull { return .null }
                throw RuntimeFailure.type("cannot slice a \(a[0].typeName)")
            }
            func bound(_ v: CypherValue, _ dflt: Int) throws -> Int? {
                switch v {
                case .null: return nil
                case .int(let i): let x = i < 0 ? items.count + Int(i) : Int(clamping: i); return min(max(0, x), items.count)
                default: throw RuntimeFailure.type("slice bounds must be integers")
                }
            }
            // An omitted bound is emitted as 0 (start) or Int64.max (end); a null bound gives null.
            let lo = try bound(a[1], 0)
            let hi = try bound(a[2], items.count)
            guard let l = lo, let h = hi else { return .null }
            return l < h ? .list(Array(items[l..<h])) : .list([])
        }
        db.add(function: DatabaseFunction("cy_unwind", argumentCount: 1, pure: true) { a in
            let items: [CypherValue]
            switch v(a[0]) {
            case .null: items = []
            case .list(let l): items = l
            case let other: items = [other]
            }
            return "[" + items.map { item -> String in
                var bytes: [UInt8] = []
                item.append(to: &bytes)
                return "\"" + bytes.map { String(format: "%02x", $0) }.joined() + "\""
            }.joined(separator: ",") + "]"
        })
        db.add(function: DatabaseFunction("cy_elem", argumentCount: 1, pure: true) { a in
            guard let hex = String.fromDatabaseValue(a[0]) else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(hex.utf8.count / 2)
            var it = hex.utf8.makeIterator()
            while let h = it.next(), let l = it.next() {
                bytes.append(UInt8(hexDigit(h) << 4 | hexDigit(l)))
            }
            return bytes.withUnsafeBytes { ByteReader.decode($0) }.databaseValue
        })
        db.add(function: DatabaseFunction("cy_rlist", argumentCount: 1, pure: true) { a in
            guard let path = String.fromDatabaseValue(a[0]) else { return nil }
            return CypherValue.list(path.split(separator: ",").compactMap { Int64($0) }.map { .relationship(CypherEntity(id: $0)) }).databaseValue
        })
        db.add(function: DatabaseFunction("cy_rlist_rev", argumentCount: 1, pure: true) { a in
            guard let path = String.fromDatabaseValue(a[0]) else { return nil }
            return CypherValue.list(path.split(separator: ",").compactMap { Int64($0) }.reversed().map { .relationship(CypherEntity(id: $0)) }).databaseValue
        })
        db.add(function: DatabaseFunction("cy_rpath", argumentCount: 1, pure: true) { a in
            guard case .list(let items) = v(a[0]) else { return nil }
            return "," + items.compactMap { if case .relationship(let e) = $0 { return String(e.id) }; return nil }.map { $0 + "," }.joined()
        })
        db.add(function: DatabaseFunction("cy_disjoint", argumentCount: 2, pure: true) { a in
            guard let p = String.fromDatabaseValue(a[0]), let q = String.fromDatabaseValue(a[1]) else { return 1 }
            let s = Set(p.split(separator: ","))
            return q.split(separator: ",").contains(where: s.contains) ? 0 : 1
        })
        db.add(function: DatabaseFunction("cy_count_value", argumentCount: 1, pure: true) { a in
            switch v(a[0]) {
            case .int(let i):
                if i < 0 { throw RuntimeFailure.argument("NegativeIntegerArgument", "SKIP and LIMIT take a non-negative integer") }
                return i
            case .null: return -1
            default: throw RuntimeFailure.argument("InvalidArgumentType", "SKIP and LIMIT take an integer")
            }
        })
        db.add(function: DatabaseFunction("cy_check_kind", argumentCount: 2, pure: true) { a in
            // Passes a value through, failing when it is not of the expected tag (a type check).
            let value = v(a[0])
            if value.isNull { return nil }
            let want = Int64.fromDatabaseValue(a[1]) ?? 0
            let tag: Int64 = { if case .node = value { return 4 }; if case .relationship = value { return 5 }; return -1 }()
            if tag != want { throw RuntimeFailure.type("expected a \(want == 4 ? "node" : "relationship"), got \(value.typeName)") }
            return a[0]
        })
        db.add(function: DatabaseFunction("cy_check_kind_id", argumentCount: 2, pure: true) { a in
            let value = v(a[0])
            switch value {
            case .null: return nil
            case .node(let e) where Int64.fromDatabaseValue(a[1]) == 4: return e.id
            case .relationship(let e) where Int64.fromDatabaseValue(a[1]) == 5: return e.id
            default: throw RuntimeFailure(type: "TypeError", detail: "InvalidArgumentValue", message: "expected a node, got \(value.typeName)")
            }
        })
        add("cy_mapkeys", 1) { a in
            switch a[0] {
            case .null: return .null
            case .map(let m): return .list(m.keys.sorted().map { .string($0) })
            default: throw RuntimeFailure(type: "TypeError", detail: "InvalidArgumentValue", message: "keys() expects a map, node or relationship")
            }
        }
        add("cy_mapprops", 1) { a in
            switch a[0] {
            case .null, .map: return a[0]
            default: throw RuntimeFailure(type: "TypeError", detail: "InvalidArgumentValue", message: "properties() expects a map, node or relationship")
            }
        }
        ScalarFunctions.register(add)
        registerAggregates(db)
    }

    static func hexDigit(_ c: UInt8) -> Int {
        switch c {
        case 48...57: Int(c - 48)
        case 97...102: Int(c - 87)
        case 65...70: Int(c - 55)
        default: 0
        }
    }

    static func logic(_ v: CypherValue) throws -> Bool? {
        switch v {
        case .null: return nil
        case .bool(let b): return b
        default: throw RuntimeFailure.type("expected a boolean, got \(v.typeName)")
        }
    }

    static func add2(_ l: CypherValue, _ r: CypherValue) throws -> CypherValue {
        switch (l, r) {
        case (.null, _), (_, .null): return .null
        case let (.list(x), .list(y)): return .list(x + y)
        case let (.list(x), y): return .list(x + [y])
        case let (x, .list(y)): return .list([x] + y)
        case let (.string(x), .string(y)): return .string(x + y)
        case let (.string(x), .int(y)): return .string(x + String(y))
        case let (.string(x), .float(y)): return .string(x + CypherValue.formatFloat(y))
        case let (.int(x), .string(y)): return .string(String(x) + y)
        case let (.float(x), .string(y)): return .string(CypherValue.formatFloat(x) + y)
        default: return try arith(l, r, "+", { $0.addingReportingOverflow($1) }, { $0 + $1 })
        }
    }

    static func arith(_ l: CypherValue, _ r: CypherValue, _ op: String,
                      _ ints: (Int64, Int64) -> (partialValue: Int64, overflow: Bool),
                      _ floats: (Double, Double) -> Double) throws -> CypherValue {
        switch (l, r) {
        case (.null, _), (_, .null): return .null
        case let (.int(x), .int(y)):
            let (v, o) = ints(x, y)
            if o { throw RuntimeFailure(type: "ArithmeticError", detail: "IntegerOverflow", message: "integer overflow in \(op)") }
            return .int(v)
        case let (.int(x), .float(y)): return .float(floats(Double(x), y))
        case let (.float(x), .int(y)): return .float(floats(x, Double(y)))
        case let (.float(x), .float(y)): return .float(floats(x, y))
        default: throw RuntimeFailure.type("cannot apply \(op) to \(l.typeName) and \(r.typeName)")
        }
    }

    // MARK: aggregates

    struct Sum: DatabaseAggregate {
        var int: Int64 = 0
        var float: Double = 0
        var isFloat = false
        var overflow = false
        mutating func step(_ a: [DatabaseValue]) throws {
            switch CypherValue(a[0]) {
            case .null: break
            case .int(let i):
                let (r, o) = int.addingReportingOverflow(i)
                int = r
                overflow = overflow || o
                float += Double(i)
            case .float(let f): isFloat = true; float += f
            case let other: throw RuntimeFailure.type("sum() of a \(other.typeName)")
            }
        }
        func finalize() throws -> (any DatabaseValueConvertible)? {
            if isFloat { return CypherValue.float(float).databaseValue }
            if overflow { throw RuntimeFailure(type: "ArithmeticError", detail: "IntegerOverflow", message: "integer overflow in sum()") }
            return int
        }
    }
    struct Avg: DatabaseAggregate {
        var total: Double = 0
        var count = 0
        mutating func step(_ a: [DatabaseValue]) throws {
            switch CypherValue(a[0]) {
            case .null: break
            case .int(let i): total += Double(i); count += 1
            case .float(let f): total += f; count += 1
            case let other: throw RuntimeFailure.type("avg() of a \(other.typeName)")
            }
        }
        func finalize() -> (any DatabaseValueConvertible)? {
            count == 0 ? nil : CypherValue.float(total / Double(count)).databaseValue
        }
    }
    struct Min: DatabaseAggregate {
        var best: CypherValue = .null
        mutating func step(_ a: [DatabaseValue]) {
            let x = CypherValue(a[0])
            if x.isNull { return }
            if best.isNull || CypherValue.orderBefore(x, best) { best = x }
        }
        func finalize() -> (any DatabaseValueConvertible)? { best.databaseValue }
    }
    struct Max: DatabaseAggregate {
        var best: CypherValue = .null
        mutating func step(_ a: [DatabaseValue]) {
            let x = CypherValue(a[0])
            if x.isNull { return }
            if best.isNull || CypherValue.orderBefore(best, x) { best = x }
        }
        func finalize() -> (any DatabaseValueConvertible)? { best.databaseValue }
    }

    static func registerAggregates(_ db: Database) {
        // cy_collect: NativeFunctions.registerCollect.
        NativeFunctions.registerCollect(db)
        db.add(function: DatabaseFunction("cy_sum", argumentCount: 1, pure: true, aggregate: Sum.self))
        db.add(function: DatabaseFunction("cy_avg", argumentCount: 1, pure: true, aggregate: Avg.self))
        db.add(function: DatabaseFunction("cy_min", argumentCount: 1, pure: true, aggregate: Min.self))
        db.add(function: DatabaseFunction("cy_max", argumentCount: 1, pure: true, aggregate: Max.self))
    }
}
