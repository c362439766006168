-- CREATE input
WITH RECURSIVE
s2 AS (
  SELECT cy_elem(j.value) AS "v_name"
  FROM json_each(cy_unwind(:p1)) AS j
)
SELECT s2."v_name" AS "v_name", cy_map(:p3, s2."v_name") AS _c1 FROM s2;
-- :p1 = ['Ada', 'Grace']
-- :p3 = 'name'
