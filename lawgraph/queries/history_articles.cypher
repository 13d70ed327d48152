// name: history_articles
// purpose: every article state of a law's reconstructed history (sparse history versions), with its validity, oldest first
// parameters: $law_key (string)
// example: {"law_key": "cpeum"}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND v.kind = 'historia'
MATCH (v)-[:CONTAINS]->(pv:ProvisionVersion)
RETURN pv.id AS id, pv.label AS label, pv.text AS text, pv.valid_from AS valid_from,
       pv.valid_to AS valid_to, pv.decree_title AS decree_title
ORDER BY pv.valid_from
