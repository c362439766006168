SELECT * FROM (SELECT cy_prop(n1.props, 'id') AS c0
  FROM node_label AS l2, node AS n1
  WHERE l2.label = :p3
    AND n1.id = l2.node) UNION SELECT * FROM (SELECT cy_prop(n5.props, 'id') AS c0
  FROM node_label AS l6, node AS n5
  WHERE l6.label = :p7
    AND n5.id = l6.node);
-- :p3 = 'Method'
-- :p7 = 'ModelClass'
