// name: list_laws
// purpose: every law with the dates of its complete versions (oldest first)
// parameters: none
// example: {}
MATCH (l:Law)
OPTIONAL MATCH (l)-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND coalesce(v.kind, 'documento') <> 'historia'
WITH l, v
ORDER BY v.date
RETURN l.id AS id, l.key AS key, l.title AS title, l.jurisdiction AS jurisdiction,
       l.kind AS kind, collect(v.date) AS versions
ORDER BY key
