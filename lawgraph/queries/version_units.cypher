// name: version_units
// purpose: every provision version of one law version (id, provision id, kind, label, own text, ordinal), to assemble and compare full texts
// parameters: $version_id (string, a law version id)
// example: {"version_id": "/mx/ley/lgamvlv@2026-01-15"}
MATCH (pv:ProvisionVersion {version_id: $version_id})
RETURN pv.id AS id, pv.provision_id AS provision_id, pv.kind AS kind, pv.label AS label,
       pv.text AS text, pv.ordinal AS ordinal, pv.repealed AS repealed
