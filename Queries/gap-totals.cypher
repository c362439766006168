// Gap totals: for each method, the papers linked to it (or a specialisation) and to any model class;
// for each model class, the papers linked to it (or a specialisation) and to any method.
// Parameters: none.
MATCH (p:Paper)-[:USES_METHOD]->(:Method)-[:SPECIALISES*0..]->(e:Method)
WHERE EXISTS { MATCH (p)-[:STUDIES]->(:ModelClass) }
RETURN 'Method' AS axis, e.id AS id, count(DISTINCT p) AS papers
UNION ALL
MATCH (p:Paper)-[:STUDIES]->(:ModelClass)-[:SPECIALISES*0..]->(e:ModelClass)
WHERE EXISTS { MATCH (p)-[:USES_METHOD]->(:Method) }
RETURN 'ModelClass' AS axis, e.id AS id, count(DISTINCT p) AS papers
