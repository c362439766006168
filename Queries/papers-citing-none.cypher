// Papers that cite none of a set of papers: work that may have missed key references (for
// example causal-tracing papers on diffusion models that cite no LLM causal-tracing paper).
// Cited-only stub papers are left out, and so are the papers of the set themselves.
// Parameters:
//   $arxivs  list of arXiv ids, e.g. '["2202.05262", "2304.14767"]'
//   $method  Method id to restrict to, e.g. "causal-tracing", or null for every paper
// Example: litgraph query papers-citing-none --param arxivs='["2202.05262"]' --param method=null
MATCH (p:Paper)
WHERE coalesce(p.stub, false) = false
  AND NOT coalesce(p.arxiv IN $arxivs, false)
  AND ($method IS NULL OR EXISTS { (p)-[:USES_METHOD]->(:Method {id: $method}) })
  AND NOT EXISTS { MATCH (p)-[:CITES]->(c:Paper) WHERE c.arxiv IN $arxivs }
RETURN p.key AS key, p.arxiv AS arxiv, p.year AS year, p.title AS title
ORDER BY year DESC, key
