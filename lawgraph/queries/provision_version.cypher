// name: provision_version
// purpose: one provision version with its law, law version and source document; nothing when its version is incomplete
// parameters: $id (provision version id, e.g. "/mx/ley/lgamvlv@2026-01-15/art_3")
// example: {"id": "/mx/ley/lgamvlv@2026-01-15/art_3"}
MATCH (pv:ProvisionVersion {id: $id})
MATCH (v:LawVersion {id: pv.version_id})
WHERE v.complete = true
MATCH (l:Law {id: v.law_id})
OPTIONAL MATCH (v)-[:READ_FROM]->(d:Document)
WHERE d.sha256 = pv.sha256
RETURN properties(pv) AS pv, v.id AS version_id, v.date AS version_date,
       l.id AS law_id, l.key AS law_key, l.title AS law_title, d.file AS file
