// name: version_articles
// purpose: the articles of a law as in force at a date, in document order, with their repealed flag
// parameters: $law_key (string), $at (ISO date string or null for the latest complete version)
// example: {"law_key": "lgamvlv", "at": null}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND coalesce(v.kind, 'documento') <> 'historia' AND ($at IS NULL OR v.date <= $at)
WITH v
ORDER BY v.date DESC
LIMIT 1
MATCH (pv:ProvisionVersion {version_id: v.id})
WHERE pv.kind = 'articulo'
RETURN pv.id AS id, pv.label AS label, pv.repealed AS repealed, pv.page AS page
ORDER BY pv.ordinal
