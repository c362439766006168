// The taxonomy loader: a valid file becomes the model; each broken file gives positioned diagnostics.
import LitModel
import LitTaxonomy
import Testing

let validTaxonomy = """
taxonomy: a small field
methods:
  - id: intervention
    name: Interventions
    description: Changing activations to see what changes.
  - id: causal-tracing
    name: Causal tracing
    parent: intervention
    phrases: [causal tracing, activation patching]
model_classes:
  - id: contrastive-vlm
    name: Contrastive vision-language models
    phrases: [contrastive vision-language model]
    models: [CLIP, SigLIP]
applications:
  - id: hallucination
    name: Hallucination
    phrases: [hallucination]
gaps:
  - id: few-circuits
    name: Circuits barely explored
    concerns: [causal-tracing, contrastive-vlm]
papers:
  - paper: "2502.17516"
    methods: [causal-tracing]
    model_classes: [contrastive-vlm]
    not: [hallucination]

"""

@Suite struct TaxonomyLoaderTests {
    @Test func validFileLoads() throws {
        let result = TaxonomyLoader.parse(validTaxonomy, path: "t.yaml")
        #expect(result.diagnostics.isEmpty)
        let taxonomy = try #require(result.taxonomy)
        #expect(taxonomy.title == "a small field")
        #expect(taxonomy.methods.map(\.id) == ["intervention", "causal-tracing"])
        #expect(taxonomy.methods[1].parent == "intervention")
        #expect(taxonomy.methods[1].span.line == 6)
        #expect(taxonomy.modelClasses[0].models == ["CLIP", "SigLIP"])
        #expect(taxonomy.gaps[0].concerns == ["causal-tracing", "contrastive-vlm"])
        let paper = try #require(taxonomy.papers.first)
        #expect(paper.paper == "2502.17516")
        #expect(paper.methods.map(\.id) == ["causal-tracing"])
        #expect(paper.not.map(\.id) == ["hallucination"])
        #expect(paper.span.line == 24)
    }

    /// Replaces the first occurrence of `old` in the valid file and loads the result.
    func broken(_ old: String, _ new: String) -> [Diagnostic] {
        precondition(validTaxonomy.contains(old), "test edit does not apply: \(old)")
        let text = validTaxonomy.replacingOccurrences(of: old, with: new, options: [], range: validTaxonomy.range(of: old))
        let result = TaxonomyLoader.parse(text, path: "broken.yaml")
        #expect(result.taxonomy == nil)
        return result.diagnostics
    }

    @Test func unknownParent() throws {
        let diagnostics = broken("parent: intervention", "parent: interventoin")
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.id == "taxonomy.unknown-parent")
        #expect(d.description.hasPrefix("broken.yaml:8:13: error: unknown parent 'interventoin' of method 'causal-tracing'; did you mean 'intervention'?"))
    }

    @Test func parentInAnotherSection() throws {
        let diagnostics = broken("parent: intervention", "parent: contrastive-vlm")
        #expect(diagnostics.map(\.id) == ["taxonomy.parent-kind"])
        #expect(diagnostics.first?.span?.line == 8)
    }

    @Test func duplicateID() throws {
        let diagnostics = broken("  - id: hallucination", "  - id: causal-tracing")
        let d = try #require(diagnostics.first { $0.id == "taxonomy.duplicate-id" })
        #expect(d.description.hasPrefix("broken.yaml:16:9: error: duplicate id 'causal-tracing'"))
        #expect(d.notes == ["first defined as a method at line 6, column 9"])
    }

    @Test func yamlSyntaxError() throws {
        let diagnostics = broken("phrases: [causal tracing, activation patching]", "phrases: [causal tracing, activation patching")
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.id == "taxonomy.yaml-syntax")
        #expect(d.span?.file == "broken.yaml")
        #expect((d.span?.line ?? 0) >= 9)
        #expect(d.message.hasPrefix("YAML syntax error:"))
    }

    @Test func tabIndentationIsASyntaxError() throws {
        let diagnostics = broken("    name: Hallucination", "\tname: Hallucination")
        #expect(diagnostics.first?.id == "taxonomy.yaml-syntax")
        #expect(diagnostics.first?.span?.line == 17)
    }

    @Test func unknownKeyWithSuggestion() throws {
        let diagnostics = broken("    phrases: [hallucination]", "    phrase: [hallucination]")
        let d = try #require(diagnostics.first)
        #expect(d.id == "taxonomy.unknown-key")
        #expect(d.description.hasPrefix("broken.yaml:18:5: error: unknown key 'phrase' in application 'hallucination'; did you mean 'phrases'?"))
    }

    @Test func unknownTopLevelKey() throws {
        let diagnostics = broken("applications:", "aplications:")
        #expect(diagnostics.first?.description.hasPrefix("broken.yaml:15:1: error: unknown key 'aplications' at the top level; did you mean 'applications'?") == true)
    }

    @Test func unknownReferenceInAssignment() throws {
        let diagnostics = broken("    methods: [causal-tracing]", "    methods: [causal-tracng]")
        let d = try #require(diagnostics.first)
        #expect(d.id == "taxonomy.unknown-reference")
        #expect(d.description.hasPrefix("broken.yaml:25:15: error: unknown method 'causal-tracng' for paper '2502.17516'; did you mean 'causal-tracing'?"))
    }

    @Test func referenceOfTheWrongKind() throws {
        let diagnostics = broken("    methods: [causal-tracing]", "    methods: [contrastive-vlm]")
        #expect(diagnostics.map(\.id) == ["taxonomy.reference-kind"])
    }

    @Test func gapConcerningAnApplication() throws {
        let diagnostics = broken("concerns: [causal-tracing, contrastive-vlm]", "concerns: [causal-tracing, hallucination]")
        #expect(diagnostics.map(\.id) == ["taxonomy.concerns-kind"])
        #expect(diagnostics.first?.span?.line == 22)
        #expect(diagnostics.first?.span?.column == 32)
    }

    @Test func parentCycle() throws {
        let text = validTaxonomy.replacingOccurrences(of: "    name: Interventions\n", with: "    name: Interventions\n    parent: causal-tracing\n")
        let result = TaxonomyLoader.parse(text, path: "cycle.yaml")
        #expect(result.taxonomy == nil)
        #expect(result.diagnostics.contains { $0.id == "taxonomy.parent-cycle" })
    }

    @Test func invalidIDAndMissingName() throws {
        let diagnostics = broken("  - id: hallucination\n    name: Hallucination\n", "  - id: Hallucination\n")
        // The renamed id also leaves the assignment's `not: [hallucination]` dangling.
        #expect(diagnostics.map(\.id) == ["taxonomy.invalid-id", "taxonomy.missing-name", "taxonomy.unknown-reference"])
        #expect(diagnostics.map { $0.span?.line } == [16, 16, 26])
    }

    @Test func notAMapping() throws {
        let result = TaxonomyLoader.parse("- just\n- a list\n", path: "list.yaml")
        #expect(result.diagnostics.map(\.id) == ["taxonomy.expected-mapping"])
        #expect(TaxonomyLoader.parse("", path: "empty.yaml").diagnostics.map(\.id) == ["taxonomy.empty"])
    }

    @Test func renderedDiagnosticShowsTheLine() throws {
        let text = validTaxonomy.replacingOccurrences(of: "parent: intervention", with: "parent: nowhere")
        let d = try #require(TaxonomyLoader.parse(text, path: "t.yaml").diagnostics.first)
        #expect(d.rendered(source: text) == """
            t.yaml:8:13: error: unknown parent 'nowhere' of method 'causal-tracing'
             8 |     parent: nowhere
               |             ^~~~~~~
            """)
    }

    /// Deleting or duplicating any line of a valid file never traps; it loads or gives diagnostics.
    @Test func lineMutationsNeverTrap() {
        let lines = validTaxonomy.split(separator: "\n", omittingEmptySubsequences: false)
        for k in lines.indices {
            var deleted = lines
            deleted.remove(at: k)
            var duplicated = lines
            duplicated.insert(lines[k], at: k)
            for text in [deleted, duplicated].map({ $0.joined(separator: "\n") }) {
                let result = TaxonomyLoader.parse(text, path: "m.yaml")
                #expect((result.taxonomy == nil) == result.diagnostics.hasErrors)
                #expect(result.diagnostics.allSatisfy { $0.span != nil })
            }
        }
    }
}
