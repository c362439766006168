// Paper links: every link of one paper to the taxonomy with its evidence (what `litgraph explain`
// prints): curated links with the taxonomy file and line, lexicon links with field and phrase.
// Parameters: $key (the paper's canonical BibTeX key, e.g. "lin2025survey").
MATCH (p:Paper {key: $key})-[r]->(t)
WHERE type(r) IN ['USES_METHOD', 'STUDIES', 'APPLIES_TO', 'ADDRESSES']
RETURN type(r) AS link, t.id AS target, r.via AS via, r.source AS source, r.line AS line,
       r.field AS field, r.phrase AS phrase
ORDER BY via, link, target
