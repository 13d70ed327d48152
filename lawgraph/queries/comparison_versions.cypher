// name: comparison_versions
// purpose: the latest complete whole-document version of every law (one row per law) with its jurisdiction, date, document hash and content hash: the texts compare, coverage and the equivalence step read, and the key of their cached index
// parameters: none
// example: {}
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND coalesce(v.kind, 'documento') <> 'historia'
WITH l, v
ORDER BY v.date DESC
WITH l, collect(v)[0] AS v
RETURN l.key AS law_key, l.id AS law_id, l.jurisdiction AS jurisdiction, v.id AS version_id,
       v.date AS date, v.sha256 AS sha256, v.content_hash AS content_hash
ORDER BY law_key
