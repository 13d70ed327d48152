// name: history_version_articles
// purpose: the articles of a law's reconstructed history as in force at a date: for each label, its latest state on or before $at (unordered; the caller sorts labels)
// parameters: $law_key (string), $at (ISO date string or null for the latest)
// example: {"law_key": "cpeum", "at": "2001-08-14"}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND v.kind = 'historia' AND ($at IS NULL OR v.date <= $at)
MATCH (v)-[:CONTAINS]->(pv:ProvisionVersion)
WHERE pv.kind = 'articulo'
WITH pv, v
ORDER BY v.date DESC
WITH pv.label AS label, collect(pv)[0] AS pv
RETURN pv.id AS id, label, pv.repealed AS repealed, pv.page AS page
