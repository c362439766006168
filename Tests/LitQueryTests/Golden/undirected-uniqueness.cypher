MATCH (a)-[r1]-(b)-[r2:KNOWS|LIKES]-(c) RETURN a, r2
