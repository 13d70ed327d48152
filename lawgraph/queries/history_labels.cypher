// name: history_labels
// purpose: the article labels of a law's reconstructed history (sparse history versions), to tell an unknown article from one not in force on a date
// parameters: $law_key (string)
// example: {"law_key": "cpeum"}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND v.kind = 'historia'
MATCH (v)-[:CONTAINS]->(pv:ProvisionVersion)
WHERE pv.kind = 'articulo'
RETURN DISTINCT pv.label AS label
