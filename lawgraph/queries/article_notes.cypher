// name: article_notes
// purpose: the reform notes (JSON) of an article and of every unit under it, in one law version
// parameters: $version_id (string), $label (normalised article label)
// example: {"version_id": "/mx/ley/lgamvlv@2026-01-15", "label": "6"}
MATCH (a:ProvisionVersion {version_id: $version_id})
WHERE a.kind = 'articulo' AND a.label = $label
OPTIONAL MATCH (a)-[:CONTAINS*1..8]->(c:ProvisionVersion)
WITH a, collect(c.reform_notes) AS below
UNWIND [a.reform_notes] + below AS reform_notes
RETURN reform_notes
