// Papers that use a method on a model class, newest first.
// Parameters:
//   $method  Method id from the taxonomy, e.g. "causal-tracing"
//   $class   ModelClass id from the taxonomy, e.g. "text-to-image-diffusion"
// Example: litgraph query papers-by-method --param method=causal-tracing --param class=text-to-image-diffusion
MATCH (p:Paper)-[:USES_METHOD]->(:Method {id: $method}),
      (p)-[:STUDIES]->(:ModelClass {id: $class})
RETURN DISTINCT p.key AS key, p.arxiv AS arxiv, p.year AS year, p.title AS title
ORDER BY year DESC, key
