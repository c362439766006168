MATCH (p:Paper) OPTIONAL MATCH (p)-[s:STUDIES]->(c:ModelClass) WHERE c.id STARTS WITH 'text' RETURN p.key, c.id
