// How exporters show a property value as text in one cell: strings bare, everything else as JSON.
import LitStore

extension JSONValue {
    /// `abc` for a string, `""` for null, the JSON text otherwise (`2025`, `[1,2]`, `true`).
    var displayText: String {
        switch self {
        case .string(let s): return s
        case .null: return ""
        default: return encoded
        }
    }
}
