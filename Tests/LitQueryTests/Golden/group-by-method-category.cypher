MATCH (p:Paper)-[:USES_METHOD]->(m:Method), (p)-[:IN_CATEGORY]->(c:Category)
RETURN m.id AS method, c.id AS category, count(DISTINCT p) AS papers
