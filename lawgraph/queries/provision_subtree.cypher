// name: provision_subtree
// purpose: every unit under a provision version (párrafos, fracciones, incisos …) for assembling its full text; parent = id without its last segment
// parameters: $id (provision version id)
// example: {"id": "/mx/ley/lgamvlv@2026-01-15/art_3"}
MATCH (pv:ProvisionVersion {id: $id})-[:CONTAINS*1..8]->(c:ProvisionVersion)
RETURN c.id AS id, c.kind AS kind, c.label AS label, c.raw_label AS raw_label,
       c.text AS text, c.ordinal AS ordinal, c.repealed AS repealed,
       c.reform_notes AS reform_notes
