// name: link_by_id
// purpose: one LINK edge (recommendation or suggestion -> provision or proposal) by its id, with both ends
// parameters: $link_id (string, 'LINK-' + 16 hex)
// example: {"link_id": "LINK-0000000000000000"}
MATCH (a)-[l:`LINK` {id: $link_id}]->(t)
RETURN l.id AS id, a.id AS from_id, labels(a)[0] AS from_label, t.id AS to_id, labels(t)[0] AS target_label,
       l.kind AS kind, l.score AS score, l.method AS method, l.status AS status, l.version_id AS version_id,
       l.evidence_from AS evidence_from, l.evidence_to AS evidence_to, l.anchors AS anchors, l.decree_id AS decree_id,
       l.reviewer AS reviewer, l.time AS time, l.reason AS reason, l.linked_at AS linked_at,
       coalesce(a.recommendation_part, a.text) AS from_text, t.label AS target_label_text
