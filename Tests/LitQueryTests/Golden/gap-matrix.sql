WITH RECURSIVE
vl12(start, node) AS (
  SELECT id, id FROM node WHERE id IN (SELECT n8.id FROM node_label AS l9 JOIN node AS n8 ON n8.id = l9.node WHERE l9.label = :p10)
  UNION
  SELECT v.start, e.dst FROM vl12 AS v JOIN edge AS e ON e.src = v.node WHERE e.type = :p11
),
h16(start, node, p0) AS MATERIALIZED (
  SELECT v.start, v.node, cy_prop(n14.props, 'id') AS p0 FROM vl12 AS v CROSS JOIN node AS n14 ON n14.id = v.node WHERE EXISTS (SELECT 1 FROM node_label WHERE node = n14.id AND label = :p15)
),
s18 AS (
  SELECT l2.node AS "v_p", cy_collect_distinct(v13.p0) AS "v_methods"
  FROM node_label AS l2, h16 AS v13, edge AS e6
  WHERE l2.label = :p3
    AND e6.type = :p7
    AND e6.src = l2.node AND e6.dst = v13.start
  GROUP BY l2.node
),
vl28(start, node) AS (
  SELECT id, id FROM node WHERE id IN (SELECT n24.id FROM node_label AS l25 JOIN node AS n24 ON n24.id = l25.node WHERE l25.label = :p26)
  UNION
  SELECT v.start, e.dst FROM vl28 AS v JOIN edge AS e ON e.src = v.node WHERE e.type = :p27
),
h32(start, node, p0) AS MATERIALIZED (
  SELECT v.start, v.node, cy_prop(n30.props, 'id') AS p0 FROM vl28 AS v CROSS JOIN node AS n30 ON n30.id = v.node WHERE EXISTS (SELECT 1 FROM node_label WHERE node = n30.id AND label = :p31)
),
s34 AS (
  SELECT "v_p", "v_methods", "v_model_classes" FROM (SELECT s18."v_p" AS "v_p", s18."v_methods" AS "v_methods", (SELECT CASE WHEN count(*) THEN cy_collect_distinct(v29.p0) END
  FROM h32 AS v29, edge AS e22
  WHERE e22.type = :p23
    AND e22.src = s18."v_p" AND e22.dst = v29.start) AS "v_model_classes"
  FROM s18
  LIMIT -1)
  WHERE "v_model_classes" IS NOT NULL
)
SELECT (SELECT cy_prop(props, 'year') FROM node WHERE id = s34."v_p") AS c0, s34."v_methods" AS c1, s34."v_model_classes" AS c2
  FROM s34;
-- :p3 = 'Paper'
-- :p7 = 'USES_METHOD'
-- :p10 = 'Method'
-- :p11 = 'SPECIALISES'
-- :p15 = 'Method'
-- :p23 = 'STUDIES'
-- :p26 = 'ModelClass'
-- :p27 = 'SPECIALISES'
-- :p31 = 'ModelClass'
