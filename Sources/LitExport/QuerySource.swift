// Where the text of a query comes from, for every command that takes one (`litgraph query QUERY`,
// `litgraph export … --query QUERY`): a `.cypher` file, a saved query by name (`NAME.cypher` in
// `$LITGRAPH_QUERIES`, then in `Queries/`), or the argument itself as query text. One lookup, so a
// name means the same query wherever it is given.
import Foundation
import LitModel

/// A query's text and the name diagnostics give its file (`Queries/co-authors.cypher`, `<query>`).
public struct QuerySource: Sendable, Equatable {
    public var text: String
    public var file: String

    public init(text: String, file: String) {
        self.text = text
        self.file = file
    }

    /// The folders searched for saved queries, in order: `$LITGRAPH_QUERIES` (when set), then `Queries`.
    public static func savedQueryFolders(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var folders = ["Queries"]
        if let folder = environment["LITGRAPH_QUERIES"], !folder.isEmpty { folders.insert(folder, at: 0) }
        return folders
    }

    /// Resolves a query argument: a `.cypher` path or an existing file is read; a name (letters,
    /// digits, `_`, `.`, `-`) is a saved query, and an error naming the places looked in when there
    /// is none; anything else is query text.
    ///
    ///     try QuerySource.resolve("papers-by-method")   // Queries/papers-by-method.cypher
    ///     try QuerySource.resolve("MATCH (p:Paper) RETURN p")   // the text, file "<query>"
    public static func resolve(_ argument: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> QuerySource {
        let isName = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "." || $0 == "-")
        }
        let isPath = !argument.contains(" ") && !argument.contains("\n")
        if argument.hasSuffix(".cypher") || (isPath && FileManager.default.fileExists(atPath: argument)) {
            guard let text = try? String(contentsOfFile: argument, encoding: .utf8) else {
                throw Diagnostic.error("query.unreadable", "cannot read the query file '\(argument)'")
            }
            return QuerySource(text: text, file: argument)
        }
        guard isName else { return QuerySource(text: argument, file: "<query>") }
        let folders = savedQueryFolders(environment: environment)
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent(argument + ".cypher")
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return QuerySource(text: text, file: path) }
        }
        throw Diagnostic.error("query.unknown", "no saved query '\(argument)'",
                               notes: ["looked for " + folders.map { "\($0)/\(argument).cypher" }.joined(separator: ", ")])
    }
}
