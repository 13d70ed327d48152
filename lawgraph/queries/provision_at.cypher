// name: provision_at
// purpose: the id of the version of a provision (id across versions) in force at a date, from complete law versions only
// parameters: $provision_id (string, e.g. "/mx/ley/lgamvlv/art_3"), $at (ISO date string or null for the latest)
// example: {"provision_id": "/mx/ley/lgamvlv/art_3", "at": "2026-12-31"}
MATCH (p:Provision {id: $provision_id})<-[:VERSION_OF]-(pv:ProvisionVersion)
MATCH (v:LawVersion {id: pv.version_id})
WHERE v.complete = true AND ($at IS NULL OR v.date <= $at)
RETURN pv.id AS id, v.id AS version_id, v.date AS version_date
ORDER BY v.date DESC
LIMIT 1
