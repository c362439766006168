SELECT cy_pj(n4.props -> '$.id') AS c0, cy_pj(n9.props -> '$.id') AS c1, count(DISTINCT n1.id) AS c2
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
  GROUP BY cy_pj(n4.props -> '$.id'), cy_pj(n9.props -> '$.id');
-- :p3 = 'Paper'
-- :p6 = 'Method'
-- :p8 = 'USES_METHOD'
-- :p11 = 'Category'
-- :p13 = 'IN_CATEGORY'
