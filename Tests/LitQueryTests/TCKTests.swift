// Runs the openCypher TCK scenarios in scope (../shared/tck) in process and fails when the number
// passing drops below the baseline recorded in tck-baseline.txt.
//   LITGRAPH_TCK_ONLY=substring   run only scenarios whose id contains it (no baseline check)
//   LITGRAPH_TCK_JSON=path        write one JSON object per scenario result
//   LITGRAPH_TCK_VERBOSE=1        print the reason of every failure
import Foundation
import Testing
@testable import LitQuery

enum Paths {
    /// The repository root, from this file's path.
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repo.deletingLastPathComponent().appendingPathComponent("shared")
    static let tck = shared.appendingPathComponent("tck")
    static var hasTCK: Bool { FileManager.default.fileExists(atPath: tck.appendingPathComponent("scope.tsv").path) }
}

@Suite("openCypher TCK")
struct TCKTests {
    @Test("in-scope scenarios pass at least as often as the recorded baseline",
          .enabled(if: Paths.hasTCK, "../shared/tck is absent: the TCK run is skipped"))
    func tck() throws {
        let runner = try TCKRunner(root: Paths.tck)
        let scope = try runner.scope()
        let env = ProcessInfo.processInfo.environment
        let only = env["LITGRAPH_TCK_ONLY"]
        var results: [String: [TCKResult]] = [:]
        var json: [String] = []
        for s in try runner.allScenarios() {
            let key = "\(s.file)\t\(s.name)\t\(s.example.map(String.init) ?? "")"
            guard let tier = scope[key], tier == "core" || tier == "near" else { continue }
            if let only, !s.id.contains(only) { continue }
            let r = runner.run(s)
            results[tier, default: []].append(r)
            json.append("{\"id\": \(CypherValue.jsonQuote(s.id)), \"tier\": \"\(tier)\", \"outcome\": \"\(r.outcome.rawValue)\", \"strict\": \(r.strict), \"reason\": \(CypherValue.jsonQuote(r.reason))}")
        }
        if let path = env["LITGRAPH_TCK_JSON"] {
            try json.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        var passedByTier: [String: Int] = [:]
        var totalPassed = 0, totalFailed = 0
        for tier in ["core", "near"] {
            let rs = results[tier] ?? []
            let passed = rs.filter { $0.outcome == .passed }
            let failed = rs.filter { $0.outcome == .failed }.count
            let unsupported = rs.filter { $0.outcome == .unsupported }.count
            let skipped = rs.filter { $0.outcome == .skipped }.count
            passedByTier[tier] = passed.count
            totalPassed += passed.count
            totalFailed += failed + unsupported
            print("tck: \(rs.count) selected (\(tier)), \(passed.count) passed (\(passed.filter(\.strict).count) strict), \(failed) failed, \(unsupported) unsupported, \(skipped) skipped(@ignore/unhandled step)")
        }
        for tier in ["core", "near"] {
            for r in results[tier] ?? [] where r.outcome == .failed || r.outcome == .unsupported {
                let label = r.outcome == .unsupported ? "UNSUPPORTED" : "FAILED"
                if env["LITGRAPH_TCK_VERBOSE"] != nil {
                    print("\(label) [\(tier)] \(r.scenario.id)\n  \(r.reason)")
                } else {
                    print("\(label) [\(tier)] \(r.scenario.id)")
                }
            }
        }
        print("\(totalPassed) passed, \(totalFailed) failed")
        guard only == nil else { return }
        let baseline = try Self.baseline()
        for (tier, minimum) in baseline {
            #expect((passedByTier[tier] ?? 0) >= minimum, "TCK \(tier): \(passedByTier[tier] ?? 0) passed, baseline \(minimum)")
        }
    }

    /// `tier count` lines from tck-baseline.txt.
    static func baseline() throws -> [(String, Int)] {
        let url = Paths.repo.appendingPathComponent("Tests/LitQueryTests/tck-baseline.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count == 2, !line.hasPrefix("#"), let n = Int(f[1]) else { return nil }
            return (String(f[0]), n)
        }
    }
}
