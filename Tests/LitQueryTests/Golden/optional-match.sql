WITH RECURSIVE
s4 AS (
  SELECT l2.node AS "v_p"
  FROM node_label AS l2
  WHERE l2.label = :p3
),
s12 AS (
  SELECT s4."v_p" AS "v_p", n6.id AS "v_c", cy_rel(e9.id) AS "v_s"
  FROM s4 LEFT JOIN (node AS n5 JOIN node_label AS l7 JOIN node AS n6 JOIN edge AS e9) ON n5.id = s4."v_p"
    AND l7.label = :p8
    AND n6.id = l7.node
    AND e9.type = :p10
    AND e9.src = n5.id AND e9.dst = n6.id
    AND cy_true(cy_starts(CASE WHEN cy_mh(n6.id, '$.id') THEN cy_mv() ELSE cy_mp(n6.id, '$.id', (SELECT cy_prop(props, 'id') FROM node WHERE id = n6.id)) END, :p11))
)
SELECT CASE WHEN cy_mh(s12."v_p", '$.key') THEN cy_mv() ELSE cy_mp(s12."v_p", '$.key', (SELECT cy_prop(props, 'key') FROM node WHERE id = s12."v_p")) END AS c0, CASE WHEN cy_mh(s12."v_c", '$.id') THEN cy_mv() ELSE cy_mp(s12."v_c", '$.id', (SELECT cy_prop(props, 'id') FROM node WHERE id = s12."v_c")) END AS c1
  FROM s12;
-- :p3 = 'Paper'
-- :p8 = 'ModelClass'
-- :p10 = 'STUDIES'
-- :p11 = 'text'
