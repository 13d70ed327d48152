// name: equivalence_links
// purpose: every LINK of kind 'equivalent' between provisions of two jurisdictions (suggested, confirmed or rejected), best score first, optionally only those touching one provision
// parameters: $provision_id (Provision id or null), $status ('suggested' | 'confirmed' | 'rejected' | null)
// example: {"provision_id": "/mx/codigo/cpf/art_325", "status": null}
MATCH (a:Provision)-[l:`LINK`]->(t:Provision)
WHERE l.kind = 'equivalent'
  AND ($provision_id IS NULL OR a.id = $provision_id OR t.id = $provision_id)
  AND ($status IS NULL OR l.status = $status)
RETURN l.id AS id, a.id AS from_id, t.id AS to_id, l.score AS score, l.method AS method,
       l.status AS status, l.version_id AS version_id, l.evidence_from AS evidence_from,
       l.evidence_to AS evidence_to, l.reviewer AS reviewer, l.time AS time, l.reason AS reason
ORDER BY l.score DESC, l.id
