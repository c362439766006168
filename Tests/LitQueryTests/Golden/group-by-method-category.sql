SELECT CASE WHEN cy_mh(n4.id, '$.id') THEN cy_mv() ELSE cy_mp(n4.id, '$.id', (SELECT cy_prop(props, 'id') FROM node WHERE id = n4.id)) END AS c0, CASE WHEN cy_mh(n9.id, '$.id') THEN cy_mv() ELSE cy_mp(n9.id, '$.id', (SELECT cy_prop(props, 'id') FROM node WHERE id = n9.id)) END AS c1, count(DISTINCT n1.id) AS c2
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
  GROUP BY CASE WHEN cy_mh(n4.id, '$.id') THEN cy_mv() ELSE cy_mp(n4.id, '$.id', (SELECT cy_prop(props, 'id') FROM node WHERE id = n4.id)) END, CASE WHEN cy_mh(n9.id, '$.id') THEN cy_mv() ELSE cy_mp(n9.id, '$.id', (SELECT cy_prop(props, 'id') FROM node WHERE id = n9.id)) END;
-- :p3 = 'Paper'
-- :p6 = 'Method'
-- :p8 = 'USES_METHOD'
-- :p11 = 'Category'
-- :p13 = 'IN_CATEGORY'
