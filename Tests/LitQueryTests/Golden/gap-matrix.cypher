MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(m:Method)
WITH p, collect(DISTINCT m.id) AS methods
MATCH (p)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(c:ModelClass)
WITH p, methods, collect(DISTINCT c.id) AS model_classes
RETURN p.year AS year, methods, model_classes
