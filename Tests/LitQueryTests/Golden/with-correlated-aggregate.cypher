MATCH (p:Paper)-[:CITES]->(q:Paper)
WITH p, count(q) AS cited
MATCH (p)-[a:AUTHORED_BY]->(author:Author)
WHERE a.position <= 3
WITH p, cited, collect(author.name) AS first_authors
RETURN p.key AS key, cited, first_authors
