// `litgraph query`: runs an openCypher query (text, a .cypher file, a saved query name, or stdin)
// and prints the rows. Wiring only: LitQuery compiles and runs, ResultFormatter prints.
import ArgumentParser
import Foundation
import LitExport
import LitModel
import LitQuery
import LitStore

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the graph a question in openCypher.",
        discussion: """
            QUERY is the query text, a .cypher file, or the name of a saved query (NAME.cypher in \
            $LITGRAPH_QUERIES when set, then in Queries/); without it the query is read from standard input.
            Prefix the query with EXPLAIN to print the generated SQL and its parameters instead of running it.

            Examples:
              litgraph query 'MATCH (p:Paper) WHERE p.year >= 2024 RETURN p.title ORDER BY p.title'
              litgraph query papers-by-method --param method=causal-tracing --param class=text-to-image
              echo 'MATCH (n) RETURN count(*)' | litgraph query --format json
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Query text, a .cypher file, or a saved query name. Default: standard input.")
    var query: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter: name=value, the value as JSON (text that is not JSON is a string).", valueName: "name=value"))
    var params: [String] = []

    @Option(name: .customLong("params"), help: ArgumentHelp("Parameters from a file: a JSON object, or lines name<TAB>value in TCK notation.", valueName: "file"))
    var paramsFile: String?

    @Option(help: "Output format: table, json, csv, tsv or tck.")
    var format: String = "table"

    func validate() throws {
        guard ResultFormat(rawValue: format) != nil else {
            throw ValidationError("unknown format '\(format)'; use one of: \(ResultFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for p in params where !p.contains("=") {
            throw ValidationError("--param expects name=value, got '\(p)'")
        }
    }

    func run() throws {
        let format = ResultFormat(rawValue: format)!
        let rawText: String, file: String
        do {
            (rawText, file) = try loadQuery()
        } catch let error as Diagnostic {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        var text = rawText
        var parameters: [String: CypherValue] = [:]
        if let paramsFile {
            guard let content = try? String(contentsOfFile: paramsFile, encoding: .utf8) else {
                throw ValidationError("cannot read parameter file '\(paramsFile)'")
            }
            switch ResultFormatter.parameters(fromFile: content) {
            case .success(let p): parameters.merge(p) { _, new in new }
            case .failure(let e): throw ValidationError("\(paramsFile): \(e.message)")
            }
        }
        for p in params {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            parameters[parts[0]] = ResultFormatter.parameterValue(parts.count > 1 ? parts[1] : "")
        }
        // EXPLAIN: print the SQL instead of running it.
        var explain = false
        let trimmed = text.drop(while: { $0.isWhitespace })
        if trimmed.prefix(8).uppercased() == "EXPLAIN " || trimmed.prefix(8).uppercased() == "EXPLAIN\n" {
            explain = true
            // Blank the keyword so positions in diagnostics stay those of the text as written.
            let offset = text.distance(from: text.startIndex, to: trimmed.startIndex)
            text = String(text.prefix(offset)) + "       " + String(trimmed.dropFirst(7))
        }
        do {
            let compiled = try QueryEngine.compile(text, parameters: parameters)
            if explain {
                print(compiled.sqlText + ";")
                for name in compiled.arguments.keys.sorted(by: { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }) {
                    print("-- :\(name) = \(CypherValue.fromDatabase(compiled.arguments[name]!).tckText)")
                }
                // SQLite's plan for the final SELECT, when the database exists.
                if FileManager.default.fileExists(atPath: database.path),
                   let store = try? QueryEngine.open(path: database.path, readonly: true),
                   let plan = try? QueryEngine.queryPlan(compiled, on: store), !plan.isEmpty {
                    print("-- SQLite plan:")
                    for line in plan { print("--   \(line)") }
                }
                return
            }
            let store = try QueryEngine.open(path: database.path)
            let result = try QueryEngine.execute(compiled, on: store)
            // An empty result may come from a misspelt name: say which names the graph lacks.
            if format != .tck && result.rows.isEmpty && !result.columns.isEmpty {
                for w in (try? QueryLinter.warnings(for: text, file: file, store: store, checkProperties: true)) ?? [] {
                    FileHandle.standardError.write(Data((w.rendered(source: text) + "\n").utf8))
                }
            }
            FileHandle.standardOutput.write(Data(ResultFormatter.format(result, as: format).utf8))
        } catch let error as QueryError {
            if format == .tck {
                print(ResultFormatter.tckError(error))
                throw ExitCode(error.isUnsupported ? 3 : 2)
            }
            FileHandle.standardError.write(Data((error.diagnostic(source: text, file: file).rendered(source: text) + "\n").utf8))
            throw ExitCode(error.isUnsupported ? 3 : 2)
        } catch let error as Diagnostic {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// The query text and a name for diagnostics.
    func loadQuery() throws -> (String, String) {
        guard let query else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return (String(decoding: data, as: UTF8.self), "<stdin>")
        }
        let source = try QuerySource.resolve(query)
        return (source.text, source.file)
    }
}
