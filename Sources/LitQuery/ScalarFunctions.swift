// The scalar functions of the language that work on values alone (strings, numbers, lists,
// conversions), registered as `cy_f_<lowercased name>`. Functions that read the graph (labels,
// type, keys and properties of entities) are written as SQL by the generator instead.
import Foundation

enum ScalarFunctions {
    typealias Fn = @Sendable ([CypherValue]) throws -> CypherValue

    /// Name (lowercased) → accepted argument counts.
    static let arity: [String: ClosedRange<Int>] = [
        "size": 1...1, "head": 1...1, "last": 1...1, "tail": 1...1, "reverse": 1...1, "range": 2...3,
        "abs": 1...1, "sign": 1...1, "ceil": 1...1, "floor": 1...1, "round": 1...1, "sqrt": 1...1,
        "exp": 1...1, "log": 1...1, "log10": 1...1, "sin": 1...1, "cos": 1...1, "tan": 1...1,
        "asin": 1...1, "acos": 1...1, "atan": 1...1, "atan2": 2...2, "pi": 0...0, "e": 0...0,
        "tolower": 1...1, "toupper": 1...1, "trim": 1...1, "ltrim": 1...1, "rtrim": 1...1,
        "substring": 2...3, "left": 2...2, "right": 2...2, "replace": 3...3, "split": 2...2,
        "tostring": 1...1, "tointeger": 1...1, "tofloat": 1...1, "toboolean": 1...1,
        "tostringornull": 1...1, "tointegerornull": 1...1, "tofloatornull": 1...1, "tobooleanornull": 1...1,
    ]

    static func register(_ add: (String, Int?, @escaping Fn) -> Void) {
        func one(_ name: String, _ body: @escaping @Sendable (CypherValue) throws -> CypherValue) {
            add("cy_f_" + name, 1) { a in a[0].isNull ? .null : try body(a[0]) }
        }
        func math(_ name: String, _ f: @escaping @Sendable (Double) -> Double) {
            one(name) { v in
                guard let d = v.asDouble else { throw RuntimeFailure.argument("InvalidArgumentType", "\(name)() expects a number") }
                return .float(f(d))
            }
        }
        func str(_ name: String, _ f: @escaping @Sendable (String) -> String) {
            one(name) { v in
                guard case .string(let s) = v else { throw RuntimeFailure.argument("InvalidArgumentType", "\(name)() expects a string") }
                return .string(f(s))
            }
        }
        one("size") { v in
            switch v {
            case .list(let l): return .int(Int64(l.count))
            case .string(let s): return .int(Int64(s.utf16.count))
            case .map(let m): return .int(Int64(m.count))
            default: throw RuntimeFailure.argument("InvalidArgumentType", "size() expects a list or a string")
            }
        }
        one("head") { v in
            guard case .list(let l) = v else { throw RuntimeFailure.argument("InvalidArgumentType", "head() expects a list") }
            return l.first ?? .null
        }
        one("last") { v in
            guard case .list(let l) = v else { throw RuntimeFailure.argument("InvalidArgumentType", "last() expects a list") }
            return l.last ?? .null
        }
        one("tail") { v in
            guard case .list(let l) = v else { throw RuntimeFailure.argument("InvalidArgumentType", "tail() expects a list") }
            return .list(Array(l.dropFirst()))
        }
        one("reverse") { v in
            switch v {
            case .list(let l): return .list(l.reversed())
            case .string(let s): return .string(String(s.reversed()))
            default: throw RuntimeFailure.argument("InvalidArgumentType", "reverse() expects a list or a string")
            }
        }
        add("cy_f_range", nil) { a in
            guard a.count >= 2 else { return .null }
            guard case .int(let lo) = a[0], case .int(let hi) = a[1] else {
                throw RuntimeFailure.argument("InvalidArgumentType", "range() expects integers")
            }
            var step: Int64 = 1
            if a.count > 2 {
                guard case .int(let s) = a[2] else { throw RuntimeFailure.argument("InvalidArgumentType", "range() expects integers") }
                step = s
            }
            if step == 0 { throw RuntimeFailure.argument("NumberOutOfRange", "range() step must not be zero") }
            var out: [CypherValue] = []
            var i = lo
            while step > 0 ? i <= hi : i >= hi {
                out.append(.int(i))
                if out.count > 10_000_000 { throw RuntimeFailure.argument("InvalidArgumentValue", "range() too large") }
                let (n, o) = i.addingReportingOverflow(step)
                if o { break }
                i = n
            }
            return .list(out)
        }
        one("abs") { v in
            switch v {
            case .int(let i): return .int(i == Int64.min ? i : abs(i))
            case .float(let f): return .float(abs(f))
            default: throw RuntimeFailure.argument("InvalidArgumentType", "abs() expects a number")
            }
        }
        one("sign") { v in
            switch v {
            case .int(let i): return .int(i.signum())
            case .float(let f): return .int(f > 0 ? 1 : f < 0 ? -1 : 0)
            default: throw RuntimeFailure.argument("InvalidArgumentType", "sign() expects a number")
            }
        }
        math("ceil") { $0.rounded(.up) }
        math("floor") { $0.rounded(.down) }
        math("round") { $0 < 0 && $0 - $0.rounded(.towardZero) == -0.5 ? $0.rounded(.towardZero) : $0.rounded(.toNearestOrAwayFromZero) }
        math("sqrt", Foundation.sqrt)
        math("exp", Foundation.exp)
        math("log", Foundation.log)
        math("log10", Foundation.log10)
        math("sin", Foundation.sin)
        math("cos", Foundation.cos)
        math("tan", Foundation.tan)
        math("asin", Foundation.asin)
        math("acos", Foundation.acos)
        math("atan", Foundation.atan)
        add("cy_f_atan2", 2) { a in
            guard let y = a[0].asDouble, let x = a[1].asDouble else { return .null }
            return .float(Foundation.atan2(y, x))
        }
        add("cy_f_pi", 0) { _ in .float(Double.pi) }
        add("cy_f_e", 0) { _ in .float(M_E) }
        str("tolower") { $0.lowercased() }
        str("toupper") { $0.uppercased() }
        str("trim") { $0.trimmingCharacters(in: .whitespaces) }
        str("ltrim") { String($0.drop(while: { $0 == " " || $0 == "\t" })) }
        str("rtrim") { s in var t = Substring(s); while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }; return String(t) }
        add("cy_f_substring", nil) { a in
            if a[0].isNull { return .null }
            guard case .string(let s) = a[0], case .int(let start) = a[1] else {
                throw RuntimeFailure.argument("InvalidArgumentType", "substring() expects a string and integers")
            }
            let units = Array(s.utf16)
            if start < 0 { throw RuntimeFailure.argument("NegativeIntegerArgument", "substring() start must not be negative") }
            var length = Int64(units.count)
            if a.count > 2 {
                guard case .int(let l) = a[2] else { throw RuntimeFailure.argument("InvalidArgumentType", "substring() length must be an integer") }
                if l < 0 { throw RuntimeFailure.argument("NegativeIntegerArgument", "substring() length must not be negative") }
                length = l
            }
            let lo = min(Int(start), units.count)
            let hi = min(units.count, lo + Int(min(length, Int64(units.count))))
            return .string(String(decoding: units[lo..<hi], as: UTF16.self))
        }
        add("cy_f_left", 2) { a in
            if a[0].isNull { return .null }
            guard case .string(let s) = a[0], case .int(let n) = a[1] else { throw RuntimeFailure.argument("InvalidArgumentType", "left() expects a string and an integer") }
            if n < 0 { throw RuntimeFailure.argument("NegativeIntegerArgument", "left() length must not be negative") }
            return .string(String(s.prefix(Int(clamping: n))))
        }
        add("cy_f_right", 2) { a in
            if a[0].isNull { return .null }
            guard case .string(let s) = a[0], case .int(let n) = a[1] else { throw RuntimeFailure.argument("InvalidArgumentType", "right() expects a string and an integer") }
            if n < 0 { throw RuntimeFailure.argument("NegativeIntegerArgument", "right() length must not be negative") }
            return .string(String(s.suffix(Int(clamping: n))))
        }
        add("cy_f_replace", 3) { a in
            guard case .string(let s) = a[0], case .string(let f) = a[1], case .string(let t) = a[2] else { return .null }
            return .string(f.isEmpty ? s : s.replacingOccurrences(of: f, with: t))
        }
        add("cy_f_split", 2) { a in
            guard case .string(let s) = a[0], case .string(let sep) = a[1] else { return .null }
            if sep.isEmpty { return .list(s.map { .string(String($0)) }) }
            return .list(s.components(separatedBy: sep).map { .string($0) })
        }
        one("tostring") { v in
            switch v {
            case .string: return v
            case .int(let i): return .string(String(i))
            case .float(let f): return .string(CypherValue.formatFloat(f))
            case .bool(let b): return .string(b ? "true" : "false")
            default: throw RuntimeFailure.argument("InvalidArgumentValue", "toString() cannot convert a \(v.typeName)")
            }
        }
        one("tointeger") { v in
            switch v {
            case .int: return v
            case .float(let f): return Int64(exactly: f.rounded(.towardZero)).map(CypherValue.int) ?? .null
            case .string(let s): return toInteger(s)
            case .bool(let b): return .int(b ? 1 : 0)
            default: throw RuntimeFailure.argument("InvalidArgumentValue", "toInteger() cannot convert a \(v.typeName)")
            }
        }
        one("tofloat") { v in
            switch v {
            case .float: return v
            case .int(let i): return .float(Double(i))
            case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces)).map(CypherValue.float) ?? .null
            default: throw RuntimeFailure.argument("InvalidArgumentValue", "toFloat() cannot convert a \(v.typeName)")
            }
        }
        one("toboolean") { v in
            switch v {
            case .bool: return v
            case .string(let s):
                switch s.trimmingCharacters(in: .whitespaces).lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default: return .null
                }
            case .int(let i): return .bool(i != 0)
            default: throw RuntimeFailure.argument("InvalidArgumentValue", "toBoolean() cannot convert a \(v.typeName)")
            }
        }
        for name in ["tostring", "tointeger", "tofloat", "toboolean"] {
            add("cy_f_\(name)ornull", 1) { a in
                let fn = conversions[name]!
                return (try? fn(a[0])) ?? .null
            }
        }
    }

    static let conversions: [String: @Sendable (CypherValue) throws -> CypherValue] = [
        "tostring": { v in
            switch v {
            case .string: v
            case .int(let i): .string(String(i))
            case .float(let f): .string(CypherValue.formatFloat(f))
            case .bool(let b): .string(b ? "true" : "false")
            default: .null
            }
        },
        "tointeger": { v in
            switch v {
            case .int: v
            case .float(let f): Int64(exactly: f.rounded(.towardZero)).map(CypherValue.int) ?? .null
            case .string(let s): toInteger(s)
            default: .null
            }
        },
        "tofloat": { v in
            switch v {
            case .float: v
            case .int(let i): .float(Double(i))
            case .string(let s): Double(s).map(CypherValue.float) ?? .null
            default: .null
            }
        },
        "toboolean": { v in
            switch v {
            case .bool: v
            case .string(let s): s.lowercased() == "true" ? .bool(true) : s.lowercased() == "false" ? .bool(false) : .null
            default: .null
            }
        },
    ]

    static func toInteger(_ s: String) -> CypherValue {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let i = Int64(t) { return .int(i) }
        if let d = Double(t), let i = Int64(exactly: d.rounded(.towardZero)) { return .int(i) }
        return .null
    }
}
