// Gap matrix: every (method, model class, paper) triple where a paper is linked both to a method
// and to a model class. `litgraph gaps` counts distinct papers per cell from these rows, adding the
// papers of an entry's specialisations to the entry (causal tracing counts under intervention).
// Parameters: none.
MATCH (p:Paper)-[:USES_METHOD]->(m:Method), (p)-[:STUDIES]->(c:ModelClass)
RETURN m.id AS method, c.id AS model_class, id(p) AS node, p.key AS key, p.arxiv AS arxiv,
       p.title AS title, p.year AS year
ORDER BY method, model_class, node
