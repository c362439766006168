WITH RECURSIVE
s10 AS (
  SELECT n1.id AS "v_p", count(n4.id) AS "v_cited"
  FROM node_label AS l2, node AS n1, node_label AS l5, node AS n4, edge AS e7
  WHERE l2.label = :p3
    AND n1.id = l2.node
    AND l5.label = :p6
    AND n4.id = l5.node
    AND e7.type = :p8
    AND e7.src = n1.id AND e7.dst = n4.id
  GROUP BY n1.id
),
s19 AS (
  SELECT "v_p", "v_cited", "v_first_authors" FROM (SELECT s10."v_p" AS "v_p", s10."v_cited" AS "v_cited", (SELECT CASE WHEN count(*) THEN cy_collect(CASE WHEN cy_mh(l13.node, '$.name') THEN cy_mv() ELSE cy_mp(l13.node, '$.name', (SELECT cy_prop(props, 'name') FROM node WHERE id = l13.node)) END) END
  FROM node_label AS l13, edge AS e15
  WHERE l13.label = :p14
    AND e15.type = :p16
    AND e15.src = s10."v_p" AND e15.dst = l13.node
    AND cy_true(cy_le(cy_prop(e15.props, 'position'), :p17))) AS "v_first_authors"
  FROM s10
  LIMIT -1)
  WHERE "v_first_authors" IS NOT NULL
)
SELECT (SELECT cy_prop(props, 'key') FROM node WHERE id = s19."v_p") AS c0, s19."v_cited" AS c1, s19."v_first_authors" AS c2
  FROM s19;
-- :p3 = 'Paper'
-- :p6 = 'Paper'
-- :p8 = 'CITES'
-- :p14 = 'Author'
-- :p16 = 'AUTHORED_BY'
-- :p17 = 3
