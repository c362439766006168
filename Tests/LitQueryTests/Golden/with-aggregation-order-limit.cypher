MATCH (p:Paper)-[:AUTHORED_BY]->(a:Author)
WITH a, count(*) AS papers ORDER BY papers DESC LIMIT 10
RETURN a.name, papers
