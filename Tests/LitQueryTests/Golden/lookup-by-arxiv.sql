WITH RECURSIVE
s5 AS (
  SELECT cy_node(n1.id) AS "v_p"
  FROM node AS n1
  WHERE EXISTS (SELECT 1 FROM node_label WHERE node = n1.id AND label = :p2)
    AND json_extract(n1.props, '$.arxiv') = :p3
    AND cy_eqt(cy_pv(json_extract(n1.props, '$.arxiv'), json_type(n1.props, '$.arxiv')), :p4)
)
SELECT (SELECT cy_pv(json_extract(props, '$.title'), json_type(props, '$.title')) FROM node WHERE id = cy_nid(s5."v_p")) AS c0
  FROM s5;
-- :p2 = 'Paper'
-- :p3 = '2502.17516'
-- :p4 = '2502.17516'
