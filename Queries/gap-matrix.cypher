// Gap matrix: papers per method, model class and year. A paper counts in a cell when it is linked
// to the method or one of its specialisations and to the model class or one of its specialisations
// (causal tracing counts under intervention); each paper once per cell. `litgraph gaps` adds up the
// years for the matrix and keeps them for the timeline. Papers without a year have year null.
// Parameters: none.
MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method)
MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(c:ModelClass)
RETURN m.id AS method, c.id AS model_class, p.year AS year, count(DISTINCT p) AS papers
ORDER BY method, model_class, year
