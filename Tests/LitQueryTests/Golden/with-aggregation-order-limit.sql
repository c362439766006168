WITH RECURSIVE
s11 AS MATERIALIZED (
  SELECT "v_a", "v_papers" FROM (SELECT n4.id AS "v_a", count(*) AS "v_papers", count(*) AS _o0
  FROM node_label AS l2, node AS n1, node_label AS l5, node AS n4, edge AS e7
  WHERE l2.label = :p3
    AND n1.id = l2.node
    AND l5.label = :p6
    AND n4.id = l5.node
    AND e7.type = :p8
    AND e7.src = n1.id AND e7.dst = n4.id
  GROUP BY n4.id)
  ORDER BY cy_sortkey(_o0) DESC
  LIMIT cy_count_value(:p10)
)
SELECT (SELECT cy_prop(props, 'name') FROM node WHERE id = s11."v_a") AS c0, s11."v_papers" AS c1
  FROM s11;
-- :p3 = 'Paper'
-- :p6 = 'Author'
-- :p8 = 'AUTHORED_BY'
-- :p10 = 10
