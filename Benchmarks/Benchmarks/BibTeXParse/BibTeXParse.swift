// Benchmarks for BibTeXParse. Corpora come from ../shared/bench/gen_corpus.py under /tmp
// (LITGRAPH_BENCH_CORPUS names the folder, default /tmp/c100k); the peers run from the Python named
// by PEERS_PY (default /tmp/peers/bin/python, set up as ../shared/bench/peers/README.md says).
//
//   BibTeX parse         bytes → syntax tree: MB/s.
//   BibTeX read          bytes → every entry with its values (what bibtexparser's defaults do): MB/s.
//   bibtexparser 2.x     ../shared/bench/peers/bt2_parse.py on the same file, timed in the same run.
//   pybtex               ../shared/bench/peers/pybtex_parse.py, likewise.
//   BibTeX read / peers  ours and both peers alternated, with our speed as a multiple of theirs.
//   BibTeX ingest        library.bib into a fresh database with entity resolution: entries/s.
import Benchmark
import Foundation
import LitBibTeX
import LitIngest
import LitStore

let corpus = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_CORPUS"] ?? "/tmp/c100k"
let library = corpus + "/bib/library.bib"
let peersFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/bench/peers").path

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Reads every entry of the file; returns the entry count and seconds taken.
func readAll(_ bytes: [UInt8]) -> (entries: Int, seconds: Double) {
    let start = ContinuousClock.now
    let tree = BibTeXParser.parse(BibTeXSource(path: library, bytes: bytes))
    var reader = BibTeXReader(tree)
    var entries = 0
    reader.read { entry in
        entries += 1
        blackHole(entry.fields.count)
    }
    return (entries, seconds(ContinuousClock.now - start))
}

/// Runs a peer script on the library; seconds taken, or nil when the peer is not set up.
func peer(_ script: String) -> Double? {
    let python = ProcessInfo.processInfo.environment["PEERS_PY"] ?? "/tmp/peers/bin/python"
    guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [peersFolder + "/" + script, library]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = ContinuousClock.now
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return seconds(ContinuousClock.now - start)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.metrics = [.wallClock, .throughput, .peakMemoryResident]
    Benchmark.defaultConfiguration.maxIterations = 5
    Benchmark.defaultConfiguration.maxDuration = .seconds(120)
    Benchmark.defaultConfiguration.timeUnits = .milliseconds

    guard let bytes = FileManager.default.contents(atPath: library).map({ [UInt8]($0) }) else {
        print("BibTeXParse: no corpus at \(library); generate one with "
              + "python3 ../shared/bench/gen_corpus.py --papers 100000 --out \(corpus)")
        return
    }
    let mb = Double(bytes.count) / 1_048_576
    let mbps = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
    let entriesPerSecond = BenchmarkMetric.custom("entries/s", polarity: .prefersLarger, useScalingFactor: false)
    let timesBibtexparser = BenchmarkMetric.custom("x bibtexparser", polarity: .prefersLarger, useScalingFactor: false)
    let timesPybtex = BenchmarkMetric.custom("x pybtex", polarity: .prefersLarger, useScalingFactor: false)
    let peerMBps = BenchmarkMetric.custom("bibtexparser MB/s x100", polarity: .prefersLarger, useScalingFactor: false)
    let pybtexMBps = BenchmarkMetric.custom("pybtex MB/s x100", polarity: .prefersLarger, useScalingFactor: false)

    Benchmark("BibTeX parse", configuration: .init(metrics: [.wallClock, .peakMemoryResident, mbps])) { benchmark in
        let start = ContinuousClock.now
        let tree = BibTeXParser.parse(BibTeXSource(path: library, bytes: bytes))
        benchmark.measurement(mbps, Int(mb / seconds(ContinuousClock.now - start)))
        blackHole(tree.items.count)
    }

    Benchmark("BibTeX read", configuration: .init(metrics: [.wallClock, .peakMemoryResident, mbps, entriesPerSecond])) { benchmark in
        let (entries, s) = readAll(bytes)
        benchmark.measurement(mbps, Int(mb / s))
        benchmark.measurement(entriesPerSecond, Int(Double(entries) / s))
    }

    Benchmark("BibTeX read / peers", configuration: .init(metrics: [timesBibtexparser, timesPybtex, mbps, peerMBps, pybtexMBps],
                                                           maxIterations: 1)) { benchmark in
        let (_, ours) = readAll(bytes)
        benchmark.measurement(mbps, Int(mb / ours))
        if let bt2 = peer("bt2_parse.py") {
            benchmark.measurement(timesBibtexparser, Int(bt2 / ours))
            benchmark.measurement(peerMBps, Int(100 * mb / bt2))
        } else {
            benchmark.error("bibtexparser is not set up (PEERS_PY); see ../shared/bench/peers/README.md")
        }
        if let pybtex = peer("pybtex_parse.py") {
            benchmark.measurement(timesPybtex, Int(pybtex / ours))
            benchmark.measurement(pybtexMBps, Int(100 * mb / pybtex))
        }
    }

    Benchmark("BibTeX ingest", configuration: .init(metrics: [.wallClock, .peakMemoryResident, entriesPerSecond], maxIterations: 2)) { benchmark in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try GraphStore(path: dir.appendingPathComponent("graph.sqlite").path)
        let ingestor = Ingestor(store: store)
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let summary = ingestor.ingest(paths: [library])
        benchmark.stopMeasurement()
        let s = seconds(ContinuousClock.now - start)
        benchmark.measurement(entriesPerSecond, Int(Double(summary.papersNew + summary.papersUpdated) / s))
        if summary.errors > 0 { benchmark.error("ingest reported \(summary.errors) errors") }
    }
}

