// name: provision_links
// purpose: the recommendations and suggestions linked to a provision or to any unit under it; confirmed first, rejected last (equivalences between jurisdictions, kind 'equivalent', are left out)
// parameters: $provision_id (Provision id, no date), $prefix (the same id followed by '/')
// plan: the range [id, id + '0') holds the id and every id under it ('0' follows '/'), so both engines
//   seek the id index instead of scanning every Provision (tests/test_query_plans.py)
// example: {"provision_id": "/mx/ley/lgamvlv/art_3", "prefix": "/mx/ley/lgamvlv/art_3/"}
MATCH (a)-[l:`LINK`]->(t:`Provision`)
WHERE t.id >= $provision_id AND t.id < $provision_id + '0'
  AND (t.id = $provision_id OR t.id STARTS WITH $prefix) AND coalesce(l.kind, '') <> 'equivalent'
RETURN l.id AS id, a.id AS from_id, labels(a)[0] AS from_label, t.id AS to_id, labels(t)[0] AS target_label,
       l.kind AS kind, l.score AS score, l.method AS method, l.status AS status, l.version_id AS version_id,
       l.evidence_from AS evidence_from, l.evidence_to AS evidence_to, l.anchors AS anchors, l.decree_id AS decree_id,
       l.reviewer AS reviewer, l.time AS time, l.reason AS reason, l.linked_at AS linked_at,
       coalesce(a.recommendation_part, a.text) AS from_text, t.label AS target_label_text, a.document AS document, a.paragraph AS paragraph, a.organisation AS organisation, a.date AS date
ORDER BY CASE l.status WHEN 'confirmed' THEN 0 WHEN 'suggested' THEN 1 ELSE 2 END, l.score DESC
