// Gap elsewhere: how many papers use a method on other model classes than a cell's, for ranking
// transfer opportunities. `litgraph gaps` passes the classes unrelated to the cell's class (with
// their specialisations) and the cell's class with its specialisations.
// Parameters: $method (a method id), $classes (model class ids counted), $excluding (model class ids
// whose papers are left out).
MATCH (p:Paper)-[:USES_METHOD]->(:Method {id: $method})
WHERE EXISTS { MATCH (p)-[:STUDIES]->(c:ModelClass) WHERE c.id IN $classes }
  AND NOT EXISTS { MATCH (p)-[:STUDIES]->(c:ModelClass) WHERE c.id IN $excluding }
RETURN count(DISTINCT p) AS papers
