// Gap cell: the papers behind one cell of the gap matrix, linked directly to the method and the
// model class (`litgraph gaps --cell METHOD:CLASS` also counts their specialisations), newest first.
// Parameters: $method (a method id, e.g. "sparse-autoencoder"), $model_class (e.g. "diffusion-transformer").
MATCH (p:Paper)-[:USES_METHOD]->(:Method {id: $method}), (p)-[:STUDIES]->(:ModelClass {id: $model_class})
RETURN p.key AS key, p.arxiv AS arxiv, p.year AS year, p.title AS title
ORDER BY year DESC, title
