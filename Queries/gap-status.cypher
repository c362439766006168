// Gap status: each gap of the taxonomy with what it concerns (in the taxonomy's order) and the
// papers addressing it, newest first. A gap no paper addresses is open.
// Parameters: none.
MATCH (g:Gap)
OPTIONAL MATCH (g)-[c:CONCERNS]->(t)
WITH g, c, t ORDER BY id(c)
WITH g, collect(DISTINCT t.id) AS concerns
OPTIONAL MATCH (p:Paper)-[:ADDRESSES]->(g)
RETURN g.id AS gap, g.name AS name, concerns, id(p) AS node, p.key AS key, p.arxiv AS arxiv,
       p.title AS title, p.year AS year
ORDER BY gap, year DESC, title
