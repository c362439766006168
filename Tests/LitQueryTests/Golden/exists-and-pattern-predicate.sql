SELECT cy_prop(n1.props, 'key') AS c0
  FROM node_label AS l2, node AS n1
  WHERE l2.label = :p3
    AND n1.id = l2.node
    AND cy_true(cy_and(cy_not(cy_bool(EXISTS (SELECT 1 FROM node AS n4, edge AS e5 WHERE e5.type = :p6 AND e5.src = n1.id AND e5.dst = n4.id))), cy_bool(EXISTS (SELECT 1 FROM node AS n7, edge AS e11 WHERE EXISTS (SELECT 1 FROM node_label WHERE node = n7.id AND label = :p8) AND json_extract(n7.props, '$.id') = :p9 AND cy_eqt(cy_prop(n7.props, 'id'), :p10) AND e11.type = :p12 AND e11.src = n1.id AND e11.dst = n7.id))));
-- :p3 = 'Paper'
-- :p6 = 'CITES'
-- :p8 = 'Method'
-- :p9 = 'probing'
-- :p10 = 'probing'
-- :p12 = 'USES_METHOD'
