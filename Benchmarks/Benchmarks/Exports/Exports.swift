// Benchmarks for Exports. Corpora come from ../shared/bench/gen_corpus.py under /tmp:
//
//     python3 ../../shared/bench/gen_corpus.py --papers 10000 --out /tmp/c10k
//
// LITGRAPH_BENCH_CORPUS_10K names the 10,000-paper folder (default /tmp/c10k). Its arXiv papers
// (index.tsv) and the citations among them (citations.tsv) are stored once per run into a
// temporary database through the store's builder; the benchmarks then export from it.
import Benchmark
import Foundation
import LitExport
import LitStore

/// The 10,000-paper graph, built on first use; nil (with a message) when the corpus is missing.
nonisolated(unsafe) var corpusStore: GraphStore? = nil

func corpusGraph() throws -> GraphStore? {
    if let corpusStore { return corpusStore }
    let folder = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_CORPUS_10K"] ?? "/tmp/c10k"
    guard let index = try? String(contentsOfFile: "\(folder)/index.tsv", encoding: .utf8),
          let citations = try? String(contentsOfFile: "\(folder)/citations.tsv", encoding: .utf8) else {
        print("Exports: no corpus at \(folder); make one with: python3 ../shared/bench/gen_corpus.py --papers 10000 --out \(folder)")
        return nil
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-exports-bench-\(UUID().uuidString).sqlite").path
    let store = try GraphStore(path: path)
    try store.build { builder in
        var nodes: [String: Int64] = [:]
        for line in index.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4, f[1] == "arxiv" else { continue }
            var props: [String: JSONValue] = ["key": .string(f[0]), "arxiv": .string(f[2])]
            if let year = Int(f[3]) { props["year"] = .int(year) }
            let node = try builder.addNode(labels: ["Paper"], properties: props)
            try builder.addIdentifier(kind: "arxiv", value: f[2], node: node)
            nodes[f[0]] = node
        }
        for line in citations.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t")
            guard f.count == 2, let citing = nodes[String(f[0])] else { continue }
            for key in f[1].split(separator: " ") {
                if let cited = nodes[String(key)] { try builder.addEdge(type: "CITES", from: citing, to: cited) }
            }
        }
    }
    corpusStore = store
    return store
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.metrics = [.wallClock, .throughput, .peakMemoryResident]
    Benchmark.defaultConfiguration.maxDuration = .seconds(10)

    Benchmark("export dot --view citations (10k papers)") { benchmark in
        guard let store = try corpusGraph() else { return }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(DOTWriter.write(try Diagram.build(DiagramRequest(view: .citations), from: store)))
        }
    }

    Benchmark("export dot --view citations --limit 10000 (10k papers, all drawn)") { benchmark in
        guard let store = try corpusGraph() else { return }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(DOTWriter.write(try Diagram.build(DiagramRequest(view: .citations, limit: 10_000), from: store)))
        }
    }
}
