// name: link_version_provisions
// purpose: every provision version of one law version with its own text, reform notes and order, for the linker's units (the parent of a unit is its id without the last segment)
// parameters: $version_id (string, a law version id)
// example: {"version_id": "/mx/ley/lgamvlv@2026-01-15"}
MATCH (pv:ProvisionVersion {version_id: $version_id})
RETURN pv.id AS id, pv.provision_id AS provision_id, pv.kind AS kind, pv.label AS label,
       pv.text AS text, pv.repealed AS repealed, pv.ordinal AS ordinal,
       pv.reform_notes AS reform_notes, pv.text_hash AS text_hash
ORDER BY pv.id
