// name: decree_view
// purpose: one decree with its source and, per law it amends, the amendment operations (from complete versions' operations) with the provision each targets
// parameters: $id (decree id)
// example: {"id": "/mx/dof/2026-01-15/0a1b2c3d"}
MATCH (d:Decree {id: $id})-[:AMENDS]->(l:Law)
OPTIONAL MATCH (d)-[:HAS_OPERATION]->(a:Amendment {law_id: l.id})
OPTIONAL MATCH (a)-[:TARGETS]->(t:Provision)
WITH d, l, a, t
ORDER BY l.key, a.index
RETURN properties(d) AS decree, l.key AS law_key, l.title AS law_title, l.id AS law_id,
       collect(CASE WHEN a IS NULL THEN NULL ELSE {index: a.index, op: a.op, article: a.article,
               units: a.units, transitory: a.transitory, text: a.text, target: t.id} END) AS operations
