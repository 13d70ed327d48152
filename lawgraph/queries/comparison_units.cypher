// name: comparison_units
// purpose: every provision version of one law version with its source (document hash, page, span), reform notes and repeal mark, to rebuild articles and their fracciones for comparing jurisdictions
// parameters: $version_id (string, a law version id)
// example: {"version_id": "/mx-dgo/codigo/codigo_penal@2025-03-02"}
MATCH (pv:ProvisionVersion {version_id: $version_id})
RETURN pv.id AS id, pv.kind AS kind, pv.label AS label, pv.text AS text, pv.ordinal AS ordinal,
       pv.repealed AS repealed, pv.reform_notes AS reform_notes, pv.sha256 AS sha256,
       pv.page AS page, pv.start AS start, pv.end AS end
