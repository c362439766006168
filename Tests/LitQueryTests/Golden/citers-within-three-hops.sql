WITH RECURSIVE
vl12(start, node, depth) AS (
  SELECT id, id, 0 FROM node WHERE id IN (SELECT n7.id FROM node AS n7 WHERE EXISTS (SELECT 1 FROM node_label WHERE node = n7.id AND label = :p8) AND json_extract(n7.props, '$.arxiv') = :p9 AND cy_eqt(cy_pj(n7.props -> '$.arxiv'), :p10))
  UNION
  SELECT v.start, e.src, v.depth + 1 FROM vl12 AS v JOIN edge AS e ON e.dst = v.node WHERE v.depth < 3 AND e.type = :p11
)
SELECT count(DISTINCT n5.id) AS c0
  FROM node AS n1 CROSS JOIN vl12 AS v13, node AS n5
  WHERE EXISTS (SELECT 1 FROM node_label WHERE node = n1.id AND label = :p2)
    AND json_extract(n1.props, '$.arxiv') = :p3
    AND cy_eqt(cy_pj(n1.props -> '$.arxiv'), :p4)
    AND EXISTS (SELECT 1 FROM node_label WHERE node = n5.id AND label = :p6)
    AND v13.start = n1.id AND v13.node = n5.id AND v13.depth >= 1;
-- :p2 = 'Paper'
-- :p3 = '2502.17516'
-- :p4 = '2502.17516'
-- :p6 = 'Paper'
-- :p8 = 'Paper'
-- :p9 = '2502.17516'
-- :p10 = '2502.17516'
-- :p11 = 'CITES'
