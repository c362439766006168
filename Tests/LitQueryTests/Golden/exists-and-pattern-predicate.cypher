MATCH (p:Paper) WHERE NOT (p)-[:CITES]->() AND EXISTS { (p)-[:USES_METHOD]->(:Method {id: 'probing'}) } RETURN p.key
