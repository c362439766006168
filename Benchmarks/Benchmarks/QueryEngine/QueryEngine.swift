// Benchmarks for the query engine on a 100,000-paper generated corpus (../shared/bench/gen_corpus.py
// under /tmp; LITGRAPH_BENCH_CORPUS names the folder, default /tmp/c100k).
//
// The benchmark graph is built once by direct inserts through LitStore from the generator's
// index.tsv (papers; published duplicates folded into their arXiv paper) and citations.tsv (CITES
// edges), and kept in LITGRAPH_BENCH_QUERY_DB (default /tmp/litgraph-query-bench.sqlite). The
// generator does not say which method or category a paper belongs to, so the benchmark assigns
// each arXiv paper one of 20 categories and one or two of 25 methods by a hash of its key: the
// shape of the domain graph, not its content.
//
//   lookup by arXiv id            MATCH (p:Paper {arxiv: $id}) RETURN p            (< 2 ms)
//   citers within 3 hops          of the median paper by in-degree                  (< 200 ms)
//   papers per method × category  a GROUP BY over the whole graph                   (< 1 s)
import Benchmark
import Foundation
import GRDB
import LitQuery
import LitStore

let corpus = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_CORPUS"] ?? "/tmp/c100k"
let dbPath = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_QUERY_DB"] ?? "/tmp/litgraph-query-bench.sqlite"

/// FNV-1a, for stable synthetic assignments.
func stableHash(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf29ce484222325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}

func jsonString(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// Builds (or reuses) the benchmark graph; returns the store and the arXiv ids of the papers.
func benchmarkGraph() throws -> (GraphStore, [String])? {
    let index = corpus + "/index.tsv", citations = corpus + "/citations.tsv"
    guard FileManager.default.fileExists(atPath: index), FileManager.default.fileExists(atPath: citations) else { return nil }
    let marker = dbPath + ".complete"
    if !FileManager.default.fileExists(atPath: marker) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        let store = try QueryEngine.open(path: dbPath)
        try store.write { db in
            var nodeOfKey: [String: Int64] = [:]
            var nodeOfArxiv: [String: Int64] = [:]
            let insertNode = try db.cachedStatement(sql: "INSERT INTO node (props) VALUES (?)")
            let insertLabel = try db.cachedStatement(sql: "INSERT INTO node_label (node, label) VALUES (?, ?)")
            let insertEdge = try db.cachedStatement(sql: "INSERT INTO edge (type, src, dst, props) VALUES (?, ?, ?, ?)")
            func node(_ label: String, _ props: String) throws -> Int64 {
                try insertNode.execute(arguments: [props])
                let id = db.lastInsertedRowID
                try insertLabel.execute(arguments: [id, label])
                return id
            }
            let categories = try (0..<20).map { try node("Category", "{\"id\":\"cs.C\($0)\"}") }
            let methods = try (0..<25).map { try node("Method", "{\"id\":\"method-\($0)\",\"name\":\"Method \($0)\"}") }
            let text = try String(contentsOfFile: index, encoding: .utf8)
            var duplicates: [(String, String)] = []
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard f.count >= 6 else { continue }
                let (key, kind, arxiv, year) = (f[0], f[1], f[2], f[3])
                if f[5] != "-" { duplicates.append((key, f[5])); continue }
                var props = "{\"key\":\(jsonString(key)),\"title\":\(jsonString("Paper " + key))"
                if let y = Int(year) { props += ",\"year\":\(y)" }
                if kind == "arxiv", arxiv != "-" { props += ",\"arxiv\":\(jsonString(arxiv))" }
                props += "}"
                let id = try node("Paper", props)
                nodeOfKey[key] = id
                if kind == "arxiv", arxiv != "-" {
                    nodeOfArxiv[arxiv] = id
                    let h = stableHash(key)
                    try insertEdge.execute(arguments: ["IN_CATEGORY", id, categories[Int(h % 20)], "{\"primary\":true}"])
                    if h % 3 != 0 { try insertEdge.execute(arguments: ["USES_METHOD", id, methods[Int((h / 20) % 25)], "{\"via\":\"lexicon\"}"]) }
                    if h % 5 == 0 { try insertEdge.execute(arguments: ["USES_METHOD", id, methods[Int((h / 500) % 25)], "{\"via\":\"lexicon\"}"]) }
                }
            }
            for (key, arxiv) in duplicates { if let id = nodeOfArxiv[arxiv] { nodeOfKey[key] = id } }
            let cites = try String(contentsOfFile: citations, encoding: .utf8)
            for line in cites.split(separator: "\n") where !line.hasPrefix("#") {
                let f = line.split(separator: "\t", maxSplits: 1)
                guard f.count == 2, let src = nodeOfKey[String(f[0])] else { continue }
                var seen: Set<Int64> = []
                for cited in f[1].split(separator: " ") {
                    guard let dst = nodeOfKey[String(cited)], dst != src, seen.insert(dst).inserted else { continue }
                    try insertEdge.execute(arguments: ["CITES", src, dst, "{\"via\":\"citations\"}"])
                }
            }
        }
        try store.write { db in try db.execute(sql: "ANALYZE") }
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
    }
    let store = try QueryEngine.open(path: dbPath)
    let arxivs = try store.read { db in
        try String.fetchAll(db, sql: "SELECT json_extract(props, '$.arxiv') FROM node WHERE json_extract(props, '$.arxiv') IS NOT NULL")
    }
    return (store, arxivs)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.metrics = [.wallClock, .cpuTotal, .peakMemoryResident]
    Benchmark.defaultConfiguration.timeUnits = .microseconds

    guard let (store, arxivs) = try? benchmarkGraph(), !arxivs.isEmpty else {
        print("QueryEngine: no corpus at \(corpus); generate one with "
              + "python3 ../shared/bench/gen_corpus.py --papers 100000 --out \(corpus)")
        return
    }
    // The median paper by number of citers (among cited papers).
    let median: String = (try? store.read { db -> String? in
        let rows = try Row.fetchAll(db, sql: """
            SELECT json_extract(n.props, '$.arxiv') AS arxiv, count(*) AS c FROM edge e JOIN node n ON n.id = e.dst
            WHERE e.type = 'CITES' AND json_extract(n.props, '$.arxiv') IS NOT NULL GROUP BY e.dst ORDER BY c, e.dst
            """)
        return rows.isEmpty ? nil : rows[rows.count / 2]["arxiv"]
    }) ?? nil ?? arxivs[arxivs.count / 2]

    let lookup = try! QueryEngine.compile("MATCH (p:Paper {arxiv: $id}) RETURN p", parameters: ["id": .string(arxivs[0])])
    Benchmark("lookup by arXiv id", configuration: .init(maxDuration: .seconds(10), maxIterations: 2000)) { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            i = (i &+ 7919) % arxivs.count
            let compiled = try QueryEngine.compile("MATCH (p:Paper {arxiv: $id}) RETURN p", parameters: ["id": .string(arxivs[i])])
            blackHole(try QueryEngine.execute(compiled, on: store))
        }
        blackHole(lookup)
    }

    Benchmark("citers within 3 hops of the median paper", configuration: .init(maxDuration: .seconds(20), maxIterations: 50)) { benchmark in
        for _ in benchmark.scaledIterations {
            let r = try QueryEngine.run("MATCH (p:Paper {arxiv: $id})<-[:CITES*1..3]-(q:Paper) RETURN count(DISTINCT q)",
                                        parameters: ["id": .string(median)], on: store)
            blackHole(r)
        }
    }

    Benchmark("papers per method and category", configuration: .init(maxDuration: .seconds(30), maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            let r = try QueryEngine.run("""
                MATCH (p:Paper)-[:USES_METHOD]->(m:Method), (p)-[:IN_CATEGORY]->(c:Category)
                RETURN m.id AS method, c.id AS category, count(DISTINCT p) AS papers
                """, on: store)
            blackHole(r)
        }
    }
}
