// name: list_links
// purpose: LINK edges filtered by review status, source (rec_id / sug_id) and target provision, best score first
// parameters: $status ('suggested' | 'confirmed' | 'rejected' | null), $from_id (string or null), $to_id (Provision id or null), $limit (int)
// plan: every LINK id starts 'LINK-' (ids.link_id), so the range ['LINK-', 'LINK.') of the LINK id
//   index enumerates the links without scanning every node (tests/test_query_plans.py);
//   a filter on the link's ends reads startNode(l)/endNode(l): written on (a)/(t), FalkorDB pushes it
//   down onto a scan of every node (GRAPH.EXPLAIN)
// example: {"status": "suggested", "from_id": null, "to_id": null, "limit": 50}
MATCH (a)-[l:`LINK`]->(t)
WHERE l.id >= 'LINK-' AND l.id < 'LINK.'
  AND ($status IS NULL OR l.status = $status)
  AND ($from_id IS NULL OR startNode(l).id = $from_id)
  AND ($to_id IS NULL OR endNode(l).id = $to_id)
RETURN l.id AS id, a.id AS from_id, labels(a)[0] AS from_label, t.id AS to_id, labels(t)[0] AS target_label,
       l.kind AS kind, l.score AS score, l.rank AS rank, l.method AS method, l.status AS status, l.version_id AS version_id,
       l.evidence_from AS evidence_from, l.evidence_to AS evidence_to, l.anchors AS anchors, l.decree_id AS decree_id,
       l.reviewer AS reviewer, l.time AS time, l.reason AS reason, l.linked_at AS linked_at,
       coalesce(a.recommendation_part, a.text) AS from_text, t.label AS target_label_text
ORDER BY l.score DESC, l.id
LIMIT $limit
