// Gap timeline: papers per (method, model class) cell per year, for links made directly to both.
// Parameters: none.
MATCH (p:Paper)-[:USES_METHOD]->(m:Method), (p)-[:STUDIES]->(c:ModelClass)
WHERE p.year IS NOT NULL
RETURN m.id AS method, c.id AS model_class, p.year AS year, count(DISTINCT p) AS papers
ORDER BY method, model_class, year
