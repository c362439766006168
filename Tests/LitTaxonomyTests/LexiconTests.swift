// The lexicon matcher's rules: word boundaries, case, plurals, hyphen/space/joined variants, model
// names mapping to their class, leftmost-longest matches with the text as written.
import LitModel
import LitTaxonomy
import Testing

let lexiconTaxonomy = """
methods:
  - id: sae
    name: Sparse autoencoders
    phrases: [sparse autoencoder, SAE, sparse dictionary learning]
  - id: attention
    name: Attention analysis
    phrases: [cross-attention, attention head]
  - id: probing
    name: Probing
    phrases: [probing classifier, linear probe]
  - id: mediation
    name: Causal mediation
    phrases: [causal mediation analysis]
  - id: lens
    name: Logit lens
    phrases: [logit lens]
model_classes:
  - id: contrastive-vlm
    name: Contrastive VLMs
    models: [CLIP, SigLIP, OpenCLIP]
  - id: generative-vlm
    name: Generative VLMs
    phrases: [multimodal large language model, MLLM]
    models: [LLaVA, BLIP-2]
  - id: llm
    name: LLMs
    phrases: [large language model]
  - id: t2i
    name: Text-to-image diffusion
    phrases: [text-to-image diffusion model]
    models: [Stable Diffusion, Stable Diffusion XL, DiT]

"""

@Suite struct LexiconTests {
    let lexicon: Lexicon

    init() throws {
        let result = TaxonomyLoader.parse(lexiconTaxonomy, path: "lexicon.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        lexicon = Lexicon(try #require(result.taxonomy))
    }

    func found(_ text: String) -> [String] {
        lexicon.matches(in: text, field: .abstract).map { "\($0.id)=\($0.phrase)" }
    }

    @Test func wordBoundaries() {
        #expect(found("We use CLIP here.") == ["contrastive-vlm=CLIP"])
        #expect(found("an eclipse, CLIPS, clipboard") == [])
        #expect(found("probing classifiers and probingclassifier") == ["probing=probing classifiers", "probing=probingclassifier"])
    }

    @Test func caseInsensitiveExceptShortAcronyms() {
        #expect(found("SPARSE AUTOENCODERS and Sparse Autoencoder") == ["sae=SPARSE AUTOENCODERS", "sae=Sparse Autoencoder"])
        #expect(found("a clip of the film") == [])
        #expect(found("Clip art") == [])
        #expect(found("we train SAEs; sae is not it") == ["sae=SAEs"])
        #expect(found("DiT and dit") == ["t2i=DiT"])
        #expect(found("llava and LLaVA") == ["generative-vlm=llava", "generative-vlm=LLaVA"])
    }

    @Test func pluralsBothWays() {
        #expect(found("linear probes") == ["probing=linear probes"])
        #expect(found("causal mediation analyses") == ["mediation=causal mediation analyses"])
        #expect(found("attention heads") == ["attention=attention heads"])
        #expect(found("logit lenses") == ["lens=logit lenses"])
    }

    @Test func hyphenSpaceAndJoinedVariants() {
        #expect(found("cross-attention maps") == ["attention=cross-attention"])
        #expect(found("cross attention maps") == ["attention=cross attention"])
        #expect(found("crossattention maps") == ["attention=crossattention"])
        #expect(found("text to image diffusion models") == ["t2i=text to image diffusion models"])
        #expect(found("sparse auto-encoders") == ["sae=sparse auto-encoders"])
        #expect(found("text‐to‐image diffusion model") == ["t2i=text‐to‐image diffusion model"]) // U+2010 hyphens
    }

    @Test func modelNamesMapToTheirClass() {
        let matches = lexicon.matches(in: "We compare BLIP-2, LLaVA and OpenCLIP.", field: .title)
        #expect(matches.map(\.id) == ["generative-vlm", "generative-vlm", "contrastive-vlm"])
        #expect(matches.map(\.model) == ["BLIP-2", "LLaVA", "OpenCLIP"])
        #expect(matches.allSatisfy { $0.kind == .modelClass && $0.field == .title })
        #expect(found("BLIP 2 and BLIP2") == ["generative-vlm=BLIP 2", "generative-vlm=BLIP2"])
        #expect(found("BLIP-3") == [])
    }

    @Test func longestMatchWins() {
        #expect(found("multimodal large language models") == ["generative-vlm=multimodal large language models"])
        #expect(found("large language models") == ["llm=large language models"])
        let xl = lexicon.matches(in: "Stable Diffusion XL", field: .title)
        #expect(xl.map(\.model) == ["Stable Diffusion XL"])
    }

    @Test func firstMatchPerEntryAcrossFields() {
        let matches = lexicon.firstMatches(title: "Probing CLIP", abstract: "We probe CLIP with linear probes and SAEs.",
                                           keywords: ["sparse autoencoders", "linear probe"])
        #expect(matches.map { "\($0.id):\($0.field.rawValue):\($0.phrase)" }
                == ["contrastive-vlm:title:CLIP", "probing:abstract:linear probes", "sae:abstract:SAEs"])
    }

    @Test func keywordsAreMatchedOneByOne() {
        let matches = lexicon.firstMatches(title: nil, abstract: nil, keywords: ["logit", "lens"])
        #expect(matches.isEmpty)
    }

    @Test func nonASCIITextIsHandled() {
        // A hyphen separates words, so α-CLIP mentions CLIP.
        #expect(found("Études of CLIP’s features — with α-CLIP and naïve SigLIP")
                == ["contrastive-vlm=CLIP", "contrastive-vlm=CLIP", "contrastive-vlm=SigLIP"])
        #expect(found("") == [])
        #expect(found("---") == [])
    }

    @Test func entryWithoutPhrasesMatchesItsName() throws {
        let result = TaxonomyLoader.parse("methods:\n  - id: network-dissection\n    name: Network dissection\n", path: "n.yaml")
        let lexicon = Lexicon(try #require(result.taxonomy))
        #expect(lexicon.matches(in: "Network Dissection of CLIP", field: .title).map(\.id) == ["network-dissection"])
    }
}
