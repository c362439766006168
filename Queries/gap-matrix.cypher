// Gap matrix: every paper linked to a method and to a model class, with its year and every method
// and model class it counts under: those it is linked to and all they specialise (a causal-tracing
// paper counts under intervention too). One row per paper; `litgraph gaps` counts the papers of
// each cell, method, model class and year from these rows.
// Parameters: none.
MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method)
WITH p, collect(DISTINCT m.id) AS methods
MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(c:ModelClass)
WITH p, methods, collect(DISTINCT c.id) AS model_classes
RETURN p.year AS year, methods, model_classes
