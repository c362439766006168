// Neo4j bulk-import CSV out: a folder in the layout `neo4j-admin database import full` reads. One
// node file per label set (`nodes_Paper.csv`: `:ID,:LABEL,key,title,year:int,versions:long[],…`),
// one relationship file per type (`relationships_CITES.csv`: `:START_ID,:END_ID,:TYPE,…`), typed
// header columns, arrays joined with `;`, every string quoted, and `import.sh` with the command.
import Foundation
import LitModel
import LitStore

/// What the Neo4j export wrote.
public struct Neo4jExportSummary: Sendable {
    /// File name → data rows written (header excluded), in file name order.
    public var files: [(name: String, rows: Int)]
    public var nodes: Int
    public var relationships: Int
}

public enum Neo4jCSVWriter {
    static let arrayDelimiter: Character = ";"

    /// Writes the graph in `store` into `directory` (created when missing).
    public static func write(_ store: GraphStore, toDirectory directory: String) throws -> Neo4jExportSummary {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw Diagnostic.error("export.neo4j.out", "'\(directory)' exists and is not a folder")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw Diagnostic.error("export.neo4j.out", "cannot create folder '\(directory)': \(error.localizedDescription)")
            }
        }
        return try store.readGraph { reader in
            // Pass 1: the files (label sets and types) and their columns.
            var nodeColumns: [[String]: ColumnSet] = [:]
            var edgeColumns: [String: ColumnSet] = [:]
            try reader.forEachNode { node in
                nodeColumns[node.labels, default: ColumnSet(listDelimiter: arrayDelimiter)].add(node.properties)
            }
            try reader.forEachEdge { edge in
                edgeColumns[edge.type, default: ColumnSet(listDelimiter: arrayDelimiter)].add(edge.properties)
            }
            var usedNames = Set<String>()
            func fileName(_ prefix: String, _ name: String) -> String {
                var base = prefix + "_" + String(name.unicodeScalars.map { scalar -> Character in
                    let c = Character(scalar)
                    return (c.isASCII && (c.isLetter || c.isNumber)) || c == "-" || c == "_" ? c : "_"
                })
                if base == prefix + "_" { base += "unlabelled" }
                var candidate = base + ".csv", n = 2
                while usedNames.contains(candidate.lowercased()) { candidate = "\(base)_\(n).csv"; n += 1 }
                usedNames.insert(candidate.lowercased())
                return candidate
            }
            let labelSets = nodeColumns.keys.sorted { $0.lexicographicallyPrecedes($1) }
            let types = edgeColumns.keys.sorted()
            var nodeFiles: [[String]: (name: String, output: FileOutput, keys: [String])] = [:]
            var edgeFiles: [String: (name: String, output: FileOutput, keys: [String])] = [:]
            for labels in labelSets {
                let name = fileName("nodes", labels.isEmpty ? "" : labels.joined(separator: "_"))
                let columns = nodeColumns[labels]!
                let output = try FileOutput(path: (directory as NSString).appendingPathComponent(name))
                try output.write(csvLine([":ID", ":LABEL"] + columns.keys.map { header($0, columns.types[$0]!) }))
                nodeFiles[labels] = (name, output, columns.keys)
            }
            for type in types {
                let name = fileName("relationships", type)
                let columns = edgeColumns[type]!
                let output = try FileOutput(path: (directory as NSString).appendingPathComponent(name))
                try output.write(csvLine([":START_ID", ":END_ID", ":TYPE"] + columns.keys.map { header($0, columns.types[$0]!) }))
                edgeFiles[type] = (name, output, columns.keys)
            }
            // Pass 2: the rows.
            var rows: [String: Int] = [:]
            var nodes = 0, relationships = 0
            try reader.forEachNode { node in
                let file = nodeFiles[node.labels]!
                let types = nodeColumns[node.labels]!.types
                var fields = [String(node.id), quoted(node.labels.joined(separator: String(arrayDelimiter)))]
                for key in file.keys { fields.append(cell(node.properties[key], types[key]!)) }
                try file.output.write(fields.joined(separator: ",") + "\n")
                rows[file.name, default: 0] += 1
                nodes += 1
            }
            try reader.forEachEdge { edge in
                let file = edgeFiles[edge.type]!
                let types = edgeColumns[edge.type]!.types
                var fields = [String(edge.source), String(edge.target), quoted(edge.type)]
                for key in file.keys { fields.append(cell(edge.properties[key], types[key]!)) }
                try file.output.write(fields.joined(separator: ",") + "\n")
                rows[file.name, default: 0] += 1
                relationships += 1
            }
            for file in nodeFiles.values { try file.output.finish() }
            for file in edgeFiles.values { try file.output.finish() }

            let nodeNames = labelSets.map { nodeFiles[$0]!.name }
            let edgeNames = types.map { edgeFiles[$0]!.name }
            var script = """
                #!/bin/sh
                # Imports this folder into a new Neo4j database (run from this folder; stop the server first).
                # Written by `litgraph export neo4j`. Multi-line text (abstracts) needs --multiline-fields.
                DATABASE="${1:-neo4j}"
                exec neo4j-admin database import full "$DATABASE" \\
                  --overwrite-destination=true --multiline-fields=true --array-delimiter=';' \\

                """
            for name in nodeNames { script += "  --nodes=\(name) \\\n" }
            for name in edgeNames { script += "  --relationships=\(name) \\\n" }
            script += "  ;\n"
            script = script.replacingOccurrences(of: " \\\n  ;\n", with: "\n")
            let scriptPath = (directory as NSString).appendingPathComponent("import.sh")
            do {
                try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scriptPath)
            } catch {
                throw Diagnostic.error("export.output", "cannot write '\(scriptPath)': \(error.localizedDescription)")
            }
            let files = (nodeNames + edgeNames).sorted().map { (name: $0, rows: rows[$0] ?? 0) }
            return Neo4jExportSummary(files: files, nodes: nodes, relationships: relationships)
        }
    }

    /// `title`, `year:int`, `versions:long[]`.
    static func header(_ key: String, _ type: ColumnType) -> String {
        let suffix: String
        switch type {
        case .bool: suffix = ":boolean"
        case .int: suffix = ":int"
        case .long: suffix = ":long"
        case .double: suffix = ":double"
        case .string, .json: suffix = ""
        case .boolList: suffix = ":boolean[]"
        case .intList: suffix = ":int[]"
        case .longList: suffix = ":long[]"
        case .doubleList: suffix = ":double[]"
        case .stringList: suffix = ":string[]"
        }
        // A ':' inside a property name would read as a type separator.
        return key.replacingOccurrences(of: ":", with: "_") + suffix
    }

    static func cell(_ value: JSONValue?, _ type: ColumnType) -> String {
        guard let value, value != .null else { return "" }
        switch (value, type) {
        case (.array(let items), .boolList), (.array(let items), .intList), (.array(let items), .longList):
            return items.map { $0.displayText }.joined(separator: String(arrayDelimiter))
        case (.array(let items), .doubleList):
            return items.map { item -> String in
                if case .int(let i) = item { return "\(Double(i))" }
                return item.displayText
            }.joined(separator: String(arrayDelimiter))
        case (.array(let items), .stringList):
            return quoted(items.map { $0.displayText }.joined(separator: String(arrayDelimiter)))
        case (.int(let i), .double): return "\(Double(i))"
        case (.bool(let b), .bool): return b ? "true" : "false"
        case (.int(let i), _) where type == .int || type == .long: return String(i)
        case (.double, .double): return value.displayText
        default: return quoted(value.displayText)
        }
    }

    /// A CSV field in double quotes, inner quotes doubled.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func csvLine(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(",") || field.contains("\"") || field.contains("\n") ? quoted(field) : field
        }.joined(separator: ",") + "\n"
    }
}
