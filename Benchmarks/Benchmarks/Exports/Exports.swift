// Benchmarks for the exports, on generated corpora (../shared/bench/gen_corpus.py) ingested as a user
// would, through LitIngest:
//
//     python3 ../../shared/bench/gen_corpus.py --papers 100000 --out /tmp/c100k
//     python3 ../../shared/bench/gen_corpus.py --papers 10000 --out /tmp/c10k
//
// LITGRAPH_BENCH_CORPUS (default /tmp/c100k) and LITGRAPH_BENCH_CORPUS_10K (default /tmp/c10k) name
// the folders. Each graph is built once into /tmp/litgraph-export-bench-*.sqlite and reused while its
// `.complete` marker (which names the store's migrations) matches; delete the marker to rebuild.
//
//   export bibtex, library.bib graph   130,000 papers from the 100k corpus's .bib, written as they came
//   export bibtex, Atom graph          100,000 papers from its Atom pages, every entry generated
//   export dot --view citations        the 10k corpus (Atom, .bib, citations) linked by Corpus/taxonomy.yaml
//
// Targets (issue 6): BibTeX at no less than 50,000 entries/s; the citations view under 1 s.
import Benchmark
import Foundation
import LitExport
import LitIngest
import LitStore

let corpus100k = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_CORPUS"] ?? "/tmp/c100k"
let corpus10k = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_CORPUS_10K"] ?? "/tmp/c10k"
let taxonomyPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus/taxonomy.yaml").path

/// A benchmark graph: the inputs ingested once into `path`, kept while its marker matches.
struct BenchGraph: Sendable {
    var name: String
    var title: String
    var inputs: [String]

    var path: String { "/tmp/litgraph-export-bench-\(name).sqlite" }

    /// The store, built when its marker is missing or names other migrations; nil when an input is missing.
    func open() throws -> GraphStore? {
        for input in inputs where !FileManager.default.fileExists(atPath: input) {
            print("Exports: \(input) is missing; make the corpus with ../shared/bench/gen_corpus.py (see Exports.swift)")
            return nil
        }
        let marker = path + ".complete"
        let stamp = Schema.migrator().migrations.joined(separator: "\n") + "\n" + inputs.joined(separator: "\n") + "\n"
        if (try? String(contentsOfFile: marker, encoding: .utf8)) != stamp {
            for suffix in ["", "-wal", "-shm", ".complete"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let started = ContinuousClock.now
            let ingestor = Ingestor(store: try GraphStore(path: path))
            let summary = ingestor.ingest(paths: inputs)
            print("Exports: built \(path) in \(ContinuousClock.now - started): \(summary.line)")
            try stamp.write(toFile: marker, atomically: true, encoding: .utf8)
        }
        return try GraphStore(path: path, readonly: true)
    }
}

let bibGraph = BenchGraph(name: "bib", title: "library.bib graph (100k corpus, entries as they came)",
                          inputs: ["\(corpus100k)/bib/library.bib"])
let atomGraph = BenchGraph(name: "atom", title: "Atom graph (100k corpus, every entry generated)",
                           inputs: ["\(corpus100k)/atom"])
let dotGraph = BenchGraph(name: "c10k", title: "10k corpus", inputs: ["\(corpus10k)/atom", "\(corpus10k)/bib/library.bib",
                                                  "\(corpus10k)/citations.tsv", taxonomyPath])

/// The opened graphs, by name (each opened in its benchmark's setup).
final class OpenGraphs: @unchecked Sendable {
    var stores: [String: GraphStore] = [:]
    func open(_ graph: BenchGraph) throws {
        if stores[graph.name] == nil, let store = try graph.open() { stores[graph.name] = store }
    }
}
let graphs = OpenGraphs()

let entriesPerSecond = BenchmarkMetric.custom("entries/s", polarity: .prefersLarger, useScalingFactor: false)

/// One whole export of every paper per run, with its rate in entries per second.
func exportBibTeX(_ graph: BenchGraph) {
    Benchmark("export bibtex: \(graph.title)",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident, entriesPerSecond], maxIterations: 10),
              closure: { benchmark in
                  guard let store = graphs.stores[graph.name] else { return }
                  let start = ContinuousClock.now
                  benchmark.startMeasurement()
                  let result = try BibTeXExport.export(store: store)
                  benchmark.stopMeasurement()
                  let seconds = (ContinuousClock.now - start) / .seconds(1)
                  benchmark.measurement(entriesPerSecond, Int(Double(result.entries) / seconds))
                  blackHole(result)
              }, setup: { try graphs.open(graph) })
}

/// The citations view of the 10k graph, with the given limit (nil: the default).
func exportCitations(limit: Int?, title: String) {
    Benchmark("export dot --view citations\(limit.map { " --limit \($0)" } ?? ""): \(title)",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 30),
              closure: { benchmark in
                  guard let store = graphs.stores[dotGraph.name] else { return }
                  benchmark.startMeasurement()
                  blackHole(DOTWriter.write(try Diagram.build(DiagramRequest(view: .citations, limit: limit), from: store)))
                  benchmark.stopMeasurement()
              }, setup: { try graphs.open(dotGraph) })
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(30)
    exportBibTeX(bibGraph)
    exportBibTeX(atomGraph)
    exportCitations(limit: nil, title: "10k corpus")
    exportCitations(limit: 10_000, title: "10k corpus, every paper drawn")
}
