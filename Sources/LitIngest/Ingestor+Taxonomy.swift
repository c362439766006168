// The ingest stage's taxonomy case: a taxonomy file is loaded (its diagnostics reported), stored and
// linked. Taxonomy files go after the other inputs of a run, so the papers they assign are present;
// a run that changed papers while a taxonomy is stored relinks at its end.
import Foundation
import LitModel
import LitStore
import LitTaxonomy

extension Ingestor {
    /// `inputs` with taxonomy files (by content) moved to the end, order otherwise kept.
    static func taxonomiesLast(_ inputs: [Input]) -> [Input] {
        func isTaxonomy(_ input: Input) -> Bool {
            guard let handle = FileHandle(forReadingAtPath: input.path) else { return false }
            defer { try? handle.close() }
            let prefix = (try? handle.read(upToCount: 4096)) ?? Data()
            return InputFormat.detect(prefix: [UInt8](prefix), path: input.path) == .taxonomy
        }
        let flags = inputs.map(isTaxonomy)
        return zip(inputs, flags).filter { !$0.1 }.map(\.0) + zip(inputs, flags).filter { $0.1 }.map(\.0)
    }

    func ingestTaxonomy(_ input: Input) {
        let (result, diagnostics) = TaxonomyLinker.ingest(path: input.path, into: store)
        for d in diagnostics { report(d) }
        summary.files += 1
        summary.bytes += input.size
        if let result {
            summary.taxonomies += 1
            summary.link = result
        } else {
            summary.failedFiles += 1
        }
    }

    /// Relinks when papers were added or changed after a taxonomy was stored.
    func relinkAfterRun() {
        guard summary.papersNew + summary.papersUpdated > 0, summary.taxonomies == 0 else { return }
        guard let sources = try? store.taxonomySources(), !sources.isEmpty else { return }
        let (result, diagnostics) = TaxonomyLinker.relink(store: store)
        for d in diagnostics where d.severity == .error { report(d) }
        if let result { summary.link = result }
    }
}
