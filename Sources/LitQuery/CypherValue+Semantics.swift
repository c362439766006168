// Cypher's equality, comparison and ordering of values, which differ from SQLite's: `null = null` is
// null, `1 = 1.0` is true, `1 < 'a'` is null, and ORDER BY sorts every type in a fixed order
// (map < node < relationship < list < path < string < boolean < number < null). `sortKey` turns a
// value into bytes whose memcmp order is Cypher's ascending order, so SQLite can sort BLOBs.
import Foundation

extension CypherValue {
    /// Cypher `=`: true, false, or null (unknown).
    static func equals(_ a: CypherValue, _ b: CypherValue) -> Bool? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)): return x == y
        case let (.int(x), .float(y)): return Double(x) == y && (y.isNaN ? false : Int64(exactly: y) == x)
        case let (.float(x), .int(y)): return equals(.int(y), .float(x))
        case let (.string(x), .string(y)): return x == y
        case let (.node(x), .node(y)): return x.id == y.id
        case let (.relationship(x), .relationship(y)): return x.id == y.id
        case let (.list(x), .list(y)):
            guard x.count == y.count else { return false }
            var unknown = false
            for (l, r) in zip(x, y) {
                switch equals(l, r) {
                case false?: return false
                case nil: unknown = true
                default: break
                }
            }
            return unknown ? nil : true
        case let (.map(x), .map(y)):
            guard Set(x.keys) == Set(y.keys) else { return false }
            var unknown = false
            for (k, l) in x {
                switch equals(l, y[k]!) {
                case false?: return false
                case nil: unknown = true
                default: break
                }
            }
            return unknown ? nil : true
        default: return false
        }
    }

    /// Cypher `<`-style comparison: ordering of comparable values, nil when incomparable or null.
    static func compare(_ a: CypherValue, _ b: CypherValue) -> ComparisonResult? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case let (.int(x), .int(y)): return x < y ? .orderedAscending : x == y ? .orderedSame : .orderedDescending
        case (.int, .float), (.float, .int), (.float, .float):
            let x = a.asDouble!, y = b.asDouble!
            if x.isNaN || y.isNaN { return nil }
            if case let .int(i) = a, case let .float(f) = b, Double(i) == f, let fi = Int64(exactly: f) {
                return i < fi ? .orderedAscending : i == fi ? .orderedSame : .orderedDescending
            }
            if case let .float(f) = a, case let .int(i) = b, Double(i) == f, let fi = Int64(exactly: f) {
                return fi < i ? .orderedAscending : i == fi ? .orderedSame : .orderedDescending
            }
            return x < y ? .orderedAscending : x == y ? .orderedSame : .orderedDescending
        case let (.string(x), .string(y)):
            return x < y ? .orderedAscending : x == y ? .orderedSame : .orderedDescending
        case let (.bool(x), .bool(y)):
            return x == y ? .orderedSame : (!x ? .orderedAscending : .orderedDescending)
        case let (.list(x), .list(y)):
            for (l, r) in zip(x, y) {
                guard let c = compare(l, r) else { return nil }
                if c != .orderedSame { return c }
            }
            return x.count < y.count ? .orderedAscending : x.count == y.count ? .orderedSame : .orderedDescending
        default: return nil
        }
    }

    var asDouble: Double? {
        switch self {
        case .int(let v): Double(v)
        case .float(let v): v
        default: nil
        }
    }

    /// Rank of the type in Cypher's global sort order.
    private var orderRank: UInt8 {
        switch self {
        case .map: 1
        case .node: 2
        case .relationship: 3
        case .list: 4
        case .string: 6
        case .bool: 7
        case .int, .float: 8
        case .null: 0xFE
        }
    }

    /// Bytes whose memcmp order is Cypher's ascending ORDER BY order.
    var sortKey: [UInt8] {
        var out: [UInt8] = []
        appendSortKey(&out)
        return out
    }

    func appendSortKey(_ out: inout [UInt8]) {
        out.append(orderRank)
        switch self {
        case .null: break
        case .bool(let b): out.append(b ? 2 : 1)
        case .int(let v):
            appendNumberKey(Double(v), &out)
            // Integers beyond 2^53 share a double: break ties exactly.
            Self.put64(UInt64(bitPattern: v) ^ (1 << 63), &out)
        case .float(let v):
            appendNumberKey(v, &out)
            if v.isNaN { Self.put64(0, &out) } else if let i = Int64(exactly: v.rounded(.towardZero)), v.magnitude < 9.2e18 {
                Self.put64(UInt64(bitPattern: i) ^ (1 << 63), &out)
            } else { Self.put64(v < 0 ? 0 : UInt64.max, &out) }
        case .string(let s):
            for byte in s.utf8 {
                if byte <= 1 { out.append(1); out.append(byte + 1) } else { out.append(byte) }
            }
            out.append(0)
        case .list(let items):
            for item in items { out.append(2); item.appendSortKey(&out) }
            out.append(1)
        case .map(let m):
            for key in m.keys.sorted() {
                out.append(2)
                CypherValue.string(key).appendSortKey(&out)
                m[key]!.appendSortKey(&out)
            }
            out.append(1)
        case .node(let e), .relationship(let e):
            Self.put64(UInt64(bitPattern: e.id) ^ (1 << 63), &out)
        }
    }

    private func appendNumberKey(_ v: Double, _ out: inout [UInt8]) {
        if v.isNaN { out.append(2); return }
        out.append(1)
        var bits = v.bitPattern
        if v == 0 { bits = 0 }
        bits = (bits & (1 << 63)) != 0 ? ~bits : bits | (1 << 63)
        Self.put64(bits, &out)
    }

    /// Orders two values the way ORDER BY does (total order, null last).
    static func orderBefore(_ a: CypherValue, _ b: CypherValue) -> Bool {
        a.sortKey.lexicographicallyPrecedes(b.sortKey)
    }
}
