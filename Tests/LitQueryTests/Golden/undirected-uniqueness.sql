SELECT cy_node(n1.id) AS c0, cy_rel(e5.id) AS c1
  FROM node AS n1, node AS n2, node AS n3, edge AS e4, edge AS e5
  WHERE ((e4.src = n1.id AND e4.dst = n2.id) OR (e4.dst = n1.id AND e4.src = n2.id AND e4.src <> e4.dst))
    AND e5.type IN (:p6, :p7)
    AND ((e5.src = n2.id AND e5.dst = n3.id) OR (e5.dst = n2.id AND e5.src = n3.id AND e5.src <> e5.dst))
    AND e4.id <> e5.id;
-- :p6 = 'KNOWS'
-- :p7 = 'LIKES'
