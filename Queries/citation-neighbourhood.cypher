// The citation neighbourhood of a paper: papers that cite it or that it cites, directly or
// through up to $depth citation links in either direction, nearest first.
// Parameters:
//   $arxiv  the paper's arXiv id without version, e.g. 2502.17516
//   $depth  how many citation links to follow, 1 to 4
// Example: litgraph query citation-neighbourhood --param arxiv=2502.17516 --param depth=2
MATCH (p:Paper {arxiv: $arxiv})-[links:CITES*1..4]-(q:Paper)
WHERE size(links) <= $depth AND q <> p
WITH q, min(size(links)) AS distance
RETURN q.key AS key, q.arxiv AS arxiv, q.year AS year, q.title AS title, distance
ORDER BY distance, year DESC, key
