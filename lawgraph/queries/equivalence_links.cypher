// name: equivalence_links
// purpose: every LINK of kind 'equivalent' between provisions of two jurisdictions (suggested, confirmed or rejected), best score first, optionally only those touching one provision
// parameters: $provision_id (Provision id or null), $status ('suggested' | 'confirmed' | 'rejected' | null)
// plan: every LINK id starts 'LINK-' (ids.link_id), so the range ['LINK-', 'LINK.') of the LINK id
//   index enumerates the links without scanning every node (tests/test_query_plans.py);
//   a filter on the link's ends reads startNode(l)/endNode(l): written on (a)/(t), FalkorDB pushes it
//   down onto a scan of every node (GRAPH.EXPLAIN)
// example: {"provision_id": "/mx/codigo/cpf/art_325", "status": null}
MATCH (a)-[l:`LINK`]->(t)
WHERE l.id >= 'LINK-' AND l.id < 'LINK.' AND l.kind = 'equivalent'
  AND ($provision_id IS NULL OR startNode(l).id = $provision_id OR endNode(l).id = $provision_id)
  AND ($status IS NULL OR l.status = $status)
RETURN l.id AS id, a.id AS from_id, t.id AS to_id, l.score AS score, l.method AS method,
       l.status AS status, l.version_id AS version_id, l.evidence_from AS evidence_from,
       l.evidence_to AS evidence_to, l.reviewer AS reviewer, l.time AS time, l.reason AS reason
ORDER BY l.score DESC, l.id
