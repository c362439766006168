MATCH (p:Paper {arxiv: $id})<-[:CITES*1..3]-(q:Paper) RETURN count(DISTINCT q) AS citers
