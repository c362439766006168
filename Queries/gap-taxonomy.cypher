// Gap taxonomy: the methods, model classes and gaps of the taxonomy with their parents, in the
// order they were ingested; the rows and columns of the gap report.
// Parameters: none.
MATCH (e)
WHERE e:Method OR e:ModelClass OR e:Gap
OPTIONAL MATCH (e)-[:SPECIALISES]->(parent)
RETURN CASE WHEN e:Method THEN 'Method' WHEN e:ModelClass THEN 'ModelClass' ELSE 'Gap' END AS label,
       e.id AS id, e.name AS name, e.description AS description, parent.id AS parent, id(e) AS node
ORDER BY node
