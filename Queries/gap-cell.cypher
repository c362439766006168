// Gap cell: the papers behind one cell of the gap matrix, linked to the method (or a specialisation)
// and to the model class (or a specialisation), newest first (`litgraph gaps --cell METHOD:CLASS`).
// Parameters: $method (a method id, e.g. "sparse-autoencoder"), $model_class (e.g. "diffusion-transformer").
MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(:Method {id: $method})
MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(:ModelClass {id: $model_class})
RETURN DISTINCT id(p) AS node, p.key AS key, p.arxiv AS arxiv, p.year AS year, p.title AS title
ORDER BY year DESC, title
