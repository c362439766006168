WITH RECURSIVE
s8 AS (
  SELECT cy_node(n1.id) AS "v_a", cy_node(n2.id) AS "v_b", cy_node(n3.id) AS "v_c", cy_rel(e4.id) AS "v_r1", cy_rel(e5.id) AS "v_r2"
  FROM node AS n1, node AS n2, node AS n3, edge AS e4, edge AS e5
  WHERE ((e4.src = n1.id AND e4.dst = n2.id) OR (e4.dst = n1.id AND e4.src = n2.id AND e4.src <> e4.dst))
    AND e5.type IN (:p6, :p7)
    AND ((e5.src = n2.id AND e5.dst = n3.id) OR (e5.dst = n2.id AND e5.src = n3.id AND e5.src <> e5.dst))
    AND e4.id <> e5.id
)
SELECT s8."v_a" AS c0, s8."v_r2" AS c1
  FROM s8;
-- :p6 = 'KNOWS'
-- :p7 = 'LIKES'
