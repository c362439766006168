WITH RECURSIVE
s14 AS (
  SELECT cy_node(n1.id) AS "v_p", cy_node(n4.id) AS "v_m", cy_node(n9.id) AS "v_c"
  FROM node_label AS l2, node AS n1, node_label AS l5, node AS n4, edge AS e7, node_label AS l10, node AS n9, edge AS e12
  WHERE l2.label = :p3
    AND n1.id = l2.node
    AND l5.label = :p6
    AND n4.id = l5.node
    AND e7.type = :p8
    AND e7.src = n1.id AND e7.dst = n4.id
    AND l10.label = :p11
    AND n9.id = l10.node
    AND e12.type = :p13
    AND e12.src = n1.id AND e12.dst = n9.id
    AND e7.id <> e12.id
)
SELECT (SELECT cy_pv(json_extract(props, '$.id'), json_type(props, '$.id')) FROM node WHERE id = cy_nid(s14."v_m")) AS c0, (SELECT cy_pv(json_extract(props, '$.id'), json_type(props, '$.id')) FROM node WHERE id = cy_nid(s14."v_c")) AS c1, count(DISTINCT s14."v_p") AS c2
  FROM s14
  GROUP BY (SELECT cy_pv(json_extract(props, '$.id'), json_type(props, '$.id')) FROM node WHERE id = cy_nid(s14."v_m")), (SELECT cy_pv(json_extract(props, '$.id'), json_type(props, '$.id')) FROM node WHERE id = cy_nid(s14."v_c"));
-- :p3 = 'Paper'
-- :p6 = 'Method'
-- :p8 = 'USES_METHOD'
-- :p11 = 'Category'
-- :p13 = 'IN_CATEGORY'
