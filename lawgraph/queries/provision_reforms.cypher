// name: provision_reforms
// purpose: the decrees a provision version's reform notes name (its own notes and those of the units under it), with the note's action and date
// parameters: $id (provision version id)
// example: {"id": "/mx/ley/lgamvlv@2026-01-15/art_5"}
MATCH (pv:ProvisionVersion {id: $id})
MATCH (v:LawVersion {id: pv.version_id})
WHERE v.complete = true AND v.amendments_complete = true
OPTIONAL MATCH (pv)-[:CONTAINS*0..8]->(u:ProvisionVersion)-[e:REFORMED_BY]->(d:Decree)
WITH u, e, d WHERE d IS NOT NULL
RETURN u.id AS unit, u.kind AS kind, u.label AS label, e.action AS action, e.date AS date,
       e.note AS note, e.clause_names_article AS clause_names_article, d.id AS decree_id,
       d.title AS title
ORDER BY date, unit
