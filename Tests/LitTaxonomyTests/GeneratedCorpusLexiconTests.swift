// Lexicon linking on the titles and abstracts of a generated corpus (../shared/bench/gen_corpus.py):
// a taxonomy made of the generator's vocabulary must recover every method, model class and model name
// the generator planted, checked paper by paper against a plain substring search over the same text.
import Foundation
import LitTaxonomy
import Testing

/// `<repo root>/../shared`, found from this file's path.
let sharedFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")

/// The generator's vocabulary: (id, surface forms it writes). Method forms are its title and running-text
/// forms; model forms are its model names, grouped by family into model classes.
let plantedMethods: [(String, [String])] = [
    ("sae", ["Sparse Autoencoders", "sparse autoencoders"]), ("sdl", ["Sparse Dictionary Learning"]),
    ("linear-probe", ["Linear Probes"]), ("probing-classifier", ["Probing Classifiers"]),
    ("logit-lens", ["Logit Lens"]), ("tuned-lens", ["Tuned Lens"]), ("causal-tracing", ["Causal Tracing"]),
    ("activation-patching", ["Activation Patching"]), ("path-patching", ["Path Patching"]),
    ("attribution-patching", ["Attribution Patching"]), ("causal-mediation", ["Causal Mediation Analysis"]),
    ("causal-scrubbing", ["Causal Scrubbing"]), ("integrated-gradients", ["Integrated Gradients"]),
    ("attention-rollout", ["Attention Rollout"]), ("grad-cam", ["Grad-CAM", "gradient-weighted class activation mapping"]),
    ("tcav", ["Concept Activation Vectors"]), ("network-dissection", ["Network Dissection"]),
    ("feature-visualization", ["Feature Visualization"]), ("transcoders", ["Transcoders"]),
    ("crosscoders", ["Crosscoders"]), ("steering-vectors", ["Steering Vectors"]),
    ("representation-engineering", ["Representation Engineering"]), ("rome", ["Rank-One Model Editing"]),
    ("acdc", ["Automated Circuit Discovery"]), ("das", ["Distributed Alignment Search"]),
    ("caa", ["Contrastive Activation Addition"]), ("dla", ["Direct Logit Attribution"]),
    ("sparse-feature-circuits", ["Sparse Feature Circuits"]), ("lrp", ["Layer-wise Relevance Propagation"]),
    ("saliency", ["Saliency Maps"]), ("shapley", ["Shapley Values", "Shapley value"]),
    ("leace", ["Linear Concept Erasure"]), ("rsa", ["Representational Similarity Analysis"]),
    ("cka", ["Centered Kernel Alignment"]), ("neuron-descriptions", ["Neuron Descriptions"]),
    ("mech-interp", ["Mechanistic Interpretability"]), ("counterfactual", ["Counterfactual Interventions"]),
    ("patchscopes", ["Patchscopes"]),
]
let plantedClasses: [(String, [String])] = [
    ("vlm", ["Vision-Language Models"]), ("mllm", ["Multimodal Large Language Models"]),
    ("vit", ["Vision Transformers"]), ("llm", ["Large Language Models"]),
    ("t2i", ["Text-to-Image Diffusion Models"]), ("dit", ["Diffusion Transformers"]),
    ("contrastive", ["Contrastive Image-Text Models"]), ("tlm", ["Transformer Language Models"]),
    ("cnn", ["Convolutional Neural Networks"]), ("ssl-vision", ["Self-Supervised Vision Encoders"]),
    ("mm-transformer", ["Multimodal Transformers"]), ("video-lm", ["Video-Language Models"]),
    ("vla", ["Vision-Language-Action Models"]), ("ldm", ["Latent Diffusion Models"]),
]
let plantedModels: [(String, [String])] = [
    ("contrastive", ["CLIP", "OpenCLIP", "SigLIP", "EVA-CLIP"]),
    ("mllm", ["LLaVA", "LLaVA-1.5", "LLaVA-NeXT", "BLIP", "BLIP-2", "InstructBLIP", "MiniGPT-4", "Flamingo",
              "OpenFlamingo", "IDEFICS", "Qwen-VL", "Qwen2-VL", "InternVL", "PaliGemma", "Fuyu-8B", "GPT-4V",
              "Gemini", "Chameleon", "Molmo"]),
    ("t2i", ["Stable Diffusion", "Stable Diffusion XL", "DALL-E 2", "Imagen", "DiT", "PixArt-α"]),
    ("vit", ["ViT-B/16", "DeiT", "DINO", "DINOv2", "MAE", "Swin Transformer", "ConvNeXt", "ResNet-50", "Segment Anything"]),
    ("llm", ["GPT-2", "GPT-2 Small", "GPT-J", "Pythia", "Llama 2", "Llama 3", "Mistral 7B", "Gemma 2", "OLMo", "BERT", "T5"]),
    ("speech", ["Whisper"]),
]

/// The taxonomy: method phrases in the singular (the matcher adds plurals), model classes with models.
/// A vocabulary form in the singular, as the taxonomy phrase is written.
func singular(_ s: String) -> String {
    var s = s
    if s.hasPrefix("The ") { s.removeFirst(4) }
    if s.hasSuffix("s"), !s.hasSuffix("ss"), !s.hasSuffix("sis"), !s.hasSuffix("Lens") { s.removeLast() }
    return s
}

func vocabularyTaxonomyYAML() -> String {
    func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
    var yaml = "methods:\n"
    for (id, forms) in plantedMethods {
        yaml += "  - id: \(id)\n    name: \(forms[0])\n    phrases: \(list(forms.map(singular)))\n"
    }
    yaml += "model_classes:\n"
    var ids = plantedClasses.map(\.0)
    ids += plantedModels.map(\.0).filter { !ids.contains($0) }
    for id in ids {
        yaml += "  - id: \(id)\n    name: \(id)\n"
        if let forms = plantedClasses.first(where: { $0.0 == id })?.1 { yaml += "    phrases: \(list(forms.map(singular)))\n" }
        if let models = plantedModels.first(where: { $0.0 == id })?.1 { yaml += "    models: \(list(models))\n" }
    }
    return yaml
}

/// The ids a plain search finds in `text`: every planted form at word boundaries (methods and classes
/// ignoring case, models in their case), keeping the leftmost-longest of overlapping finds.
func plantedIDs(in text: String) -> Set<String> {
    var hits: [(start: Int, end: Int, id: String)] = []
    let chars = Array(text)
    let lower = Array(text.lowercased())
    precondition(chars.count == lower.count)
    func search(_ form: String, id: String, caseSensitive: Bool) {
        let pattern = Array(caseSensitive ? form : form.lowercased())
        let hay = caseSensitive ? chars : lower
        guard pattern.count <= hay.count else { return }
        for start in 0...(hay.count - pattern.count) where hay[start] == pattern[0] {
            guard Array(hay[start..<(start + pattern.count)]) == pattern else { continue }
            let end = start + pattern.count
            let before = start == 0 || !(hay[start - 1].isLetter || hay[start - 1].isNumber)
            let after = end == hay.count || !(hay[end].isLetter || hay[end].isNumber)
            if before && after { hits.append((start, end, id)) }
        }
    }
    // A phrase also matches in the singular (the generator writes `our transcoder checkpoints`).
    for (id, forms) in plantedMethods + plantedClasses {
        for form in Set(forms + forms.map(singular)) { search(form, id: "m:" + id, caseSensitive: false) }
    }
    for (id, models) in plantedModels {
        for model in models { search(model, id: "m:" + id, caseSensitive: true) }
    }
    hits.sort { ($0.start, -($0.end - $0.start)) < ($1.start, -($1.end - $1.start)) }
    var ids = Set<String>()
    var reached = 0
    for hit in hits where hit.start >= reached {
        ids.insert(String(hit.id.dropFirst(2)))
        reached = hit.end
    }
    return ids
}

/// Titles and summaries of the Atom pages, whitespace normalised and XML entities decoded.
func atomTitlesAndAbstracts(in folder: URL) throws -> [(title: String, abstract: String)] {
    var out: [(String, String)] = []
    let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xml") }.sorted()
    func clean(_ s: Substring) -> String {
        s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
    for page in pages {
        let xml = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
        for entry in xml.components(separatedBy: "<entry>").dropFirst() {
            guard let t0 = entry.range(of: "<title>"), let t1 = entry.range(of: "</title>"),
                  let s0 = entry.range(of: "<summary>"), let s1 = entry.range(of: "</summary>") else { continue }
            out.append((clean(entry[t0.upperBound..<t1.lowerBound]), clean(entry[s0.upperBound..<s1.lowerBound])))
        }
    }
    return out
}

@Suite struct GeneratedCorpusLexiconTests {
    @Test func recoversThePlantedVocabulary() throws {
        let generator = sharedFolder.appendingPathComponent("bench/gen_corpus.py")
        guard FileManager.default.fileExists(atPath: generator.path) else {
            print("skipping: \(generator.path) is absent (../shared not beside the repository)")
            return
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-lexicon-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator.path, "--papers", "2000", "--out", out.path, "--jobs", "1"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gen_corpus.py failed")

        let loaded = TaxonomyLoader.parse(vocabularyTaxonomyYAML(), path: "vocabulary.yaml")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let lexicon = Lexicon(try #require(loaded.taxonomy))
        let papers = try atomTitlesAndAbstracts(in: out.appendingPathComponent("atom"))
        #expect(papers.count == 2000)

        var foundIDs = Set<String>(), foundModels = Set<String>()
        var mismatches: [String] = []
        for paper in papers {
            for (field, text) in [(LexiconField.title, paper.title), (.abstract, paper.abstract)] {
                let matches = lexicon.matches(in: text, field: field)
                let got = Set(matches.map(\.id))
                let expected = plantedIDs(in: text)
                if got != expected, mismatches.count < 5 {
                    mismatches.append("\(field): \(text)\n  expected \(expected.sorted())\n  got      \(got.sorted())")
                }
                foundIDs.formUnion(got)
                foundModels.formUnion(matches.compactMap(\.model))
                // The evidence is the text as written.
                #expect(matches.allSatisfy { text.contains($0.phrase) })
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        // Every method, model class and model name of the vocabulary is found somewhere in 2000 papers.
        #expect(Set(plantedMethods.map(\.0)).subtracting(foundIDs).isEmpty)
        #expect(Set(plantedClasses.map(\.0)).subtracting(foundIDs).isEmpty)
        #expect(Set(plantedModels.flatMap(\.1)).subtracting(foundModels).isEmpty)
    }
}
