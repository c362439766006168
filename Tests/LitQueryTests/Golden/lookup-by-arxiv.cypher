MATCH (p:Paper {arxiv: $id}) RETURN p.title AS title
