// name: version_completeness
// purpose: the stored version a new document of a law would replace (the latest complete version read from a whole document, dated on or before $at) with its article and listed-decree counts, so that a much smaller new version is refused
// parameters: $law_id (string, work id), $at (ISO date string: the new version's date)
// example: {"law_id": "/mx/ley/lgamvlv", "at": "2026-01-15"}
MATCH (:Law {id: $law_id})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND coalesce(v.kind, 'documento') <> 'historia' AND v.date <= $at
WITH v
ORDER BY v.date DESC
LIMIT 1
OPTIONAL MATCH (pv:ProvisionVersion {version_id: v.id})
WHERE pv.kind = 'articulo'
WITH v, count(pv) AS articles
OPTIONAL MATCH (v)-[:LISTS]->(d:Decree)
RETURN v.id AS id, v.date AS date, v.sha256 AS sha256, articles, count(d) AS decrees
