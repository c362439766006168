// Column types for formats that declare one type per property key (GraphML keys, Neo4j CSV
// headers): the narrowest type every value of that key fits, falling back to JSON text.
import Foundation
import LitStore

/// The type a property column is declared with.
enum ColumnType: Hashable, Comparable {
    case bool, int, long, double, string
    case boolList, intList, longList, doubleList, stringList
    /// Lists of mixed types and maps, written as JSON text (a string column).
    case json

    /// The narrowest column type for one value; nil for null (which fits any column).
    static func of(_ value: JSONValue, listDelimiter: Character? = nil) -> ColumnType? {
        switch value {
        case .null: return nil
        case .bool: return .bool
        case .int(let i): return Int32(exactly: i) == nil ? .long : .int
        case .double: return .double
        case .string: return .string
        case .object: return .json
        case .array(let items):
            var element: ColumnType? = nil
            for item in items {
                guard let t = of(item) else { return .json }
                if case .string(let s) = item, let d = listDelimiter, s.contains(d) { return .json }
                element = element.map { $0.joined(t) } ?? t
            }
            switch element {
            case .bool: return .boolList
            case .int: return .intList
            case .long: return .longList
            case .double: return .doubleList
            case .string: return .stringList
            case nil: return .stringList
            default: return .json
            }
        }
    }

    /// The narrowest type both fit.
    func joined(_ other: ColumnType) -> ColumnType {
        if self == other { return self }
        switch (self, other) {
        case (.int, .long), (.long, .int): return .long
        case (.int, .double), (.double, .int), (.long, .double), (.double, .long): return .double
        case (.intList, .longList), (.longList, .intList): return .longList
        case (.intList, .doubleList), (.doubleList, .intList), (.longList, .doubleList), (.doubleList, .longList): return .doubleList
        case (.string, .bool), (.string, .int), (.string, .long), (.string, .double),
             (.bool, .string), (.int, .string), (.long, .string), (.double, .string): return .string
        default: return .json
        }
    }
}

/// Property keys seen on a set of nodes or edges, with their column types, in sorted key order.
struct ColumnSet {
    private(set) var types: [String: ColumnType] = [:]
    let listDelimiter: Character?

    init(listDelimiter: Character? = nil) { self.listDelimiter = listDelimiter }

    mutating func add(_ properties: [String: JSONValue]) {
        for (key, value) in properties {
            guard let t = ColumnType.of(value, listDelimiter: listDelimiter) else { continue }
            types[key] = types[key].map { $0.joined(t) } ?? t
        }
    }

    var keys: [String] { types.keys.sorted() }
}
