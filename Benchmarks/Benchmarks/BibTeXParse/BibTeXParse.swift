// Benchmarks for BibTeXParse. Corpora come from ../shared/bench/gen_corpus.py under /tmp
// (LITGRAPH_BENCH_CORPUS names the folder, default /tmp/c100k); the peers run from the Python named
// by PEERS_PY (default /tmp/peers/bin/python, set up as ../shared/bench/peers/README.md says).
//
//   BibTeX parse         bytes → syntax tree: MB/s.
//   BibTeX read          bytes → every entry with its values expanded (what bibtexparser's
//                        defaults do): MB/s, entries/s, peak memory as a percentage of the file.
//   BibTeX read / peers  ours (median of three) and each peer once, in the same run: our speed as a
//                        multiple of theirs, by wall clock and by CPU time (the machine is shared).
//   BibTeX ingest        library.bib into a fresh database with entity resolution: entries/s.
//
// The peers are slow (tens of seconds each), so they run once per run, without warm-up.
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

/// CPU seconds used so far by this thread.
func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// getrusage for this process or its finished children.
func resourceUsage(children: Bool) -> rusage {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t((children ? RUSAGE_CHILDREN : RUSAGE_SELF).rawValue), &usage)
    #else
    getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage)
    #endif
    return usage
}

/// The process's peak resident set so far, in bytes.
func peakResident() -> Double {
    #if os(Linux)
    Double(resourceUsage(children: false).ru_maxrss) * 1024   // KiB on Linux
    #else
    Double(resourceUsage(children: false).ru_maxrss)
    #endif
}

/// CPU seconds used so far by finished child processes.
func childrenCPU() -> Double {
    let usage = resourceUsage(children: true)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Reads every entry of the file; returns the entry count, wall seconds and CPU seconds.
func readAll(_ bytes: [UInt8]) -> (entries: Int, seconds: Double, cpu: Double) {
    let start = ContinuousClock.now
    let cpu = threadCPU()
    let tree = BibTeXParser.parse(BibTeXSource(path: library, bytes: bytes))
    var reader = BibTeXReader(tree)
    var entries = 0
    reader.read { entry in
        entries += 1
        blackHole(entry.fields.count)
    }
    return (entries, seconds(ContinuousClock.now - start), threadCPU() - cpu)
}

/// Runs a peer script on the library; wall and CPU seconds, or nil when the peer is not set up.
func peer(_ script: String) -> (seconds: Double, cpu: Double)? {
    let python = ProcessInfo.processInfo.environment["PEERS_PY"] ?? "/tmp/peers/bin/python"
    guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [peersFolder + "/" + script, library]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let cpu = childrenCPU()
    let start = ContinuousClock.now
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return (seconds(ContinuousClock.now - start), childrenCPU() - cpu)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.metrics = [.wallClock, .throughput, .peakMemoryResident]
    Benchmark.defaultConfiguration.maxIterations = 5
    Benchmark.defaultConfiguration.maxDuration = .seconds(60)
    Benchmark.defaultConfiguration.timeUnits = .milliseconds

    guard let bytes = FileManager.default.contents(atPath: library).map({ [UInt8]($0) }) else {
        print("BibTeXParse: no corpus at \(library); generate one with "
              + "python3 ../shared/bench/gen_corpus.py --papers 100000 --out \(corpus)")
        return
    }
    let mb = Double(bytes.count) / 1_048_576
    let mbps = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
    let cpuMBps = BenchmarkMetric.custom("MB per CPU s", polarity: .prefersLarger, useScalingFactor: false)
    let entriesPerSecond = BenchmarkMetric.custom("entries/s", polarity: .prefersLarger, useScalingFactor: false)
    let timesBibtexparser = BenchmarkMetric.custom("x bibtexparser", polarity: .prefersLarger, useScalingFactor: false)
    let timesBibtexparserCPU = BenchmarkMetric.custom("x bibtexparser (CPU)", polarity: .prefersLarger, useScalingFactor: false)
    let timesPybtex = BenchmarkMetric.custom("x pybtex", polarity: .prefersLarger, useScalingFactor: false)
    let timesPybtexCPU = BenchmarkMetric.custom("x pybtex (CPU)", polarity: .prefersLarger, useScalingFactor: false)
    let peerMBps = BenchmarkMetric.custom("bibtexparser MB/s x100", polarity: .prefersLarger, useScalingFactor: false)
    let pybtexMBps = BenchmarkMetric.custom("pybtex MB/s x100", polarity: .prefersLarger, useScalingFactor: false)
    let memoryPercent = BenchmarkMetric.custom("peak RSS % of file", polarity: .prefersSmaller, useScalingFactor: false)

    Benchmark("BibTeX parse", configuration: .init(metrics: [.wallClock, mbps, cpuMBps])) { benchmark in
        let start = ContinuousClock.now
        let cpu = threadCPU()
        let tree = BibTeXParser.parse(BibTeXSource(path: library, bytes: bytes))
        benchmark.measurement(mbps, Int(mb / seconds(ContinuousClock.now - start)))
        benchmark.measurement(cpuMBps, Int(mb / (threadCPU() - cpu)))
        blackHole(tree.items.count)
    }

    Benchmark("BibTeX read", configuration: .init(metrics: [.wallClock, .peakMemoryResident, mbps, cpuMBps,
                                                            entriesPerSecond, memoryPercent])) { benchmark in
        let (entries, s, cpu) = readAll(bytes)
        benchmark.measurement(mbps, Int(mb / s))
        benchmark.measurement(cpuMBps, Int(mb / cpu))
        benchmark.measurement(entriesPerSecond, Int(Double(entries) / s))
        // The process's peak resident set so far (the file's bytes included), against the file.
        benchmark.measurement(memoryPercent, Int(peakResident() * 100 / Double(bytes.count)))
    }

    Benchmark("BibTeX read / peers", configuration: .init(
        metrics: [timesBibtexparser, timesBibtexparserCPU, timesPybtex, timesPybtexCPU, mbps, cpuMBps, peerMBps, pybtexMBps],
        warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
        // Ours: the median of three reads (a fraction of a second each).
        let runs = (0..<3).map { _ in readAll(bytes) }
        let ours = runs.map(\.seconds).sorted()[1]
        let oursCPU = runs.map(\.cpu).sorted()[1]
        benchmark.measurement(mbps, Int(mb / ours))
        benchmark.measurement(cpuMBps, Int(mb / oursCPU))
        if let bt2 = peer("bt2_parse.py") {
            benchmark.measurement(timesBibtexparser, Int(bt2.seconds / ours))
            benchmark.measurement(timesBibtexparserCPU, Int(bt2.cpu / oursCPU))
            benchmark.measurement(peerMBps, Int(100 * mb / bt2.seconds))
        } else {
            benchmark.error("bibtexparser is not set up (PEERS_PY); see ../shared/bench/peers/README.md")
        }
        if let pybtex = peer("pybtex_parse.py") {
            benchmark.measurement(timesPybtex, Int(pybtex.seconds / ours))
            benchmark.measurement(timesPybtexCPU, Int(pybtex.cpu / oursCPU))
            benchmark.measurement(pybtexMBps, Int(100 * mb / pybtex.seconds))
        }
    }

    Benchmark("BibTeX ingest", configuration: .init(metrics: [.wallClock, .peakMemoryResident, entriesPerSecond],
                                                    warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
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
        // Every entry read counts, whatever resolution made of it (new, merged, unchanged, skipped).
        let entries = summary.papersNew + summary.papersUpdated + summary.papersUnchanged + summary.entriesSkipped
        benchmark.measurement(entriesPerSecond, Int(Double(entries) / s))
        if summary.errors > 0 { benchmark.error("ingest reported \(summary.errors) errors") }
    }
}
