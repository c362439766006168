// How many papers use each method in each arXiv category: a whole-graph GROUP BY, most
// populated cells first.
// Parameters: none.
// Example: litgraph query method-category-counts --format csv
MATCH (p:Paper)-[:USES_METHOD]->(m:Method), (p)-[:IN_CATEGORY]->(c:Category)
RETURN m.id AS method, c.id AS category, count(DISTINCT p) AS papers
ORDER BY papers DESC, method, category
