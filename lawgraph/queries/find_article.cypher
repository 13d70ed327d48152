// name: find_article
// purpose: the id of an article of a law as in force at a date (latest complete version on or before $at; latest of all when $at is null)
// parameters: $law_key (string, e.g. "lgamvlv"), $label (normalised article label, e.g. "20 Ter"), $at (ISO date string or null)
// example: {"law_key": "lgamvlv", "label": "3", "at": null}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND coalesce(v.kind, 'documento') <> 'historia' AND ($at IS NULL OR v.date <= $at)
WITH v
ORDER BY v.date DESC
LIMIT 1
MATCH (pv:ProvisionVersion {version_id: v.id})
WHERE pv.kind = 'articulo' AND pv.label = $label
RETURN pv.id AS id, v.id AS version_id, v.date AS version_date
