// name: law_versions
// purpose: the complete versions of a law read from whole documents (not the sparse history versions), oldest first, with the law's original publication line as printed
// parameters: $law_key (string)
// example: {"law_key": "lgamvlv"}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND coalesce(v.kind, 'documento') <> 'historia'
RETURN v.id AS id, v.date AS date, v.title AS title, v.publication AS publication
ORDER BY v.date
