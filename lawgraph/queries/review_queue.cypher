// name: review_queue
// purpose: the links to review, filtered by status, source kind (Recommendation or Suggestion), body of a recommendation, target law and a minimum score, best score first
// parameters: $status ('suggested' | 'confirmed' | 'rejected' | null), $source ('Recommendation' | 'Suggestion' | null), $body (upper-case body such as 'CEDAW' or null), $law_segment ('/lgamvlv/' or null), $min_score (float or null), $limit (int)
// plan: every LINK id starts 'LINK-' (ids.link_id), so the range ['LINK-', 'LINK.') of the LINK id
//   index enumerates the links without scanning every node (tests/test_query_plans.py);
//   a filter on the link's ends reads startNode(l)/endNode(l): written on (a)/(t), FalkorDB pushes it
//   down onto a scan of every node (GRAPH.EXPLAIN)
// example: {"status": "suggested", "source": null, "body": null, "law_segment": "/lgamvlv/", "min_score": 0.1, "limit": 50}
MATCH (a)-[l:`LINK`]->(t)
WHERE l.id >= 'LINK-' AND l.id < 'LINK.'
  AND ($status IS NULL OR l.status = $status)
  AND ($source IS NULL OR labels(startNode(l))[0] = $source)
  AND ($body IS NULL OR startNode(l).body = $body)
  AND ($law_segment IS NULL OR endNode(l).id CONTAINS $law_segment)
  AND ($min_score IS NULL OR l.score >= $min_score)
RETURN l.id AS id, a.id AS from_id, labels(a)[0] AS from_label, t.id AS to_id, labels(t)[0] AS target_label,
       l.kind AS kind, l.score AS score, l.method AS method, l.status AS status, l.version_id AS version_id,
       l.evidence_from AS evidence_from, l.evidence_to AS evidence_to, l.anchors AS anchors, l.decree_id AS decree_id,
       l.reviewer AS reviewer, l.time AS time, l.reason AS reason, l.linked_at AS linked_at,
       coalesce(a.recommendation_part, a.text) AS from_text, t.label AS target_label_text,
       a.organisation AS organisation, a.body AS body, a.document AS document
ORDER BY l.score DESC, l.id
LIMIT $limit
