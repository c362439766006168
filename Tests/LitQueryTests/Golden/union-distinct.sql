WITH RECURSIVE
s4 AS (
  SELECT cy_node(n1.id) AS "v_m"
  FROM node_label AS l2, node AS n1
  WHERE l2.label = :p3
    AND n1.id = l2.node
),
s8 AS (
  SELECT cy_node(n5.id) AS "v_c"
  FROM node_label AS l6, node AS n5
  WHERE l6.label = :p7
    AND n5.id = l6.node
)
SELECT * FROM (SELECT (SELECT cy_pv(json_extract(props, '$.id'), json_type(props, '$.id')) FROM node WHERE id = cy_nid(s4."v_m")) AS c0
  FROM s4) UNION SELECT * FROM (SELECT (SELECT cy_pv(json_extract(props, '$.id'), json_type(props, '$.id')) FROM node WHERE id = cy_nid(s8."v_c")) AS c0
  FROM s8);
-- :p3 = 'Method'
-- :p7 = 'ModelClass'
