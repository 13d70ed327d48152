// name: link_version_divisions
// purpose: the divisions (título, capítulo, …) of one law version with the labels of the articles each holds directly, for the linker's heading context (the parent of a division is its id without the last segment)
// parameters: $version_id (string, a law version id)
// example: {"version_id": "/mx/ley/lgamvlv@2026-01-15"}
MATCH (d:Division {version_id: $version_id})
OPTIONAL MATCH (d)-[:CONTAINS]->(a:ProvisionVersion)
WITH d, a
ORDER BY a.ordinal
RETURN d.id AS id, d.kind AS kind, d.label AS label, d.heading AS heading, d.ordinal AS ordinal,
       collect(a.label) AS articles
ORDER BY id
