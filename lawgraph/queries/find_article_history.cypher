// name: find_article_history
// purpose: the state of an article in a law's reconstructed history (sparse history versions) in force at a date
// parameters: $law_key (string), $label (normalised article label), $at (ISO date string or null for the latest)
// example: {"law_key": "cpeum", "label": "4", "at": "2012-01-01"}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND v.kind = 'historia' AND ($at IS NULL OR v.date <= $at)
MATCH (v)-[:CONTAINS]->(pv:ProvisionVersion)
WHERE pv.kind = 'articulo' AND pv.label = $label
RETURN pv.id AS id, v.id AS version_id, v.date AS version_date
ORDER BY v.date DESC
LIMIT 1
