WITH RECURSIVE
vl13(start, node, depth) AS (
  SELECT id, id, 0 FROM node WHERE id IN (SELECT n7.id FROM node_label AS l8 JOIN node AS n7 ON n7.id = l8.node WHERE l8.label = :p9 AND json_extract(n7.props, '$.arxiv') = :p10 AND cy_eqt(cy_prop(n7.props, 'arxiv'), :p11))
  UNION
  SELECT v.start, e.src, v.depth + 1 FROM vl13 AS v JOIN edge AS e ON e.dst = v.node WHERE v.depth < 3 AND e.type = :p12
)
SELECT count(DISTINCT v14.node) AS c0
  FROM node AS n1 CROSS JOIN vl13 AS v14
  WHERE EXISTS (SELECT 1 FROM node_label WHERE node = n1.id AND label = :p2)
    AND json_extract(n1.props, '$.arxiv') = :p3
    AND cy_eqt(cy_prop(n1.props, 'arxiv'), :p4)
    AND EXISTS (SELECT 1 FROM node_label WHERE node = v14.node AND label = :p6)
    AND v14.start = n1.id AND v14.node = v14.node AND v14.depth >= 1;
-- :p2 = 'Paper'
-- :p3 = '2502.17516'
-- :p4 = '2502.17516'
-- :p6 = 'Paper'
-- :p9 = 'Paper'
-- :p10 = '2502.17516'
-- :p11 = '2502.17516'
-- :p12 = 'CITES'
