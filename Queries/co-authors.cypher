// Co-authors of an author: everyone who wrote a paper with them, with the papers in common,
// most frequent first.
// Parameters:
//   $name  the author's display name as stored on Author nodes, e.g. "Zihao Lin"
// Example: litgraph query co-authors --param name="Zihao Lin"
MATCH (a:Author {name: $name})<-[:AUTHORED_BY]-(p:Paper)-[:AUTHORED_BY]->(co:Author)
WHERE co <> a
RETURN co.name AS coauthor, count(DISTINCT p) AS papers, collect(DISTINCT p.key) AS keys
ORDER BY papers DESC, coauthor
