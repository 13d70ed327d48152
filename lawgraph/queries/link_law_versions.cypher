// name: link_law_versions
// purpose: the complete documentary versions of one jurisdiction's laws (not the sparse history versions) with their content hash: what the linker indexes, and the key of its cached units
// parameters: $jurisdiction (string, e.g. 'mx')
// example: {"jurisdiction": "mx"}
MATCH (l:Law {jurisdiction: $jurisdiction})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND coalesce(v.kind, 'documento') <> 'historia'
RETURN l.key AS law_key, l.kind AS law_kind, v.id AS id, v.date AS date, v.title AS title, v.sha256 AS sha256,
       v.content_hash AS content_hash
ORDER BY law_key, date
