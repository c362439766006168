MATCH (m:Method) RETURN m.id AS id UNION MATCH (c:ModelClass) RETURN c.id AS id
