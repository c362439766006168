SELECT cy_prop(n1.props, 'title') AS c0
  FROM node AS n1
  WHERE EXISTS (SELECT 1 FROM node_label WHERE node = n1.id AND label = :p2)
    AND json_extract(n1.props, '$.arxiv') = :p3
    AND cy_eqt(cy_prop(n1.props, 'arxiv'), :p4);
-- :p2 = 'Paper'
-- :p3 = '2502.17516'
-- :p4 = '2502.17516'
