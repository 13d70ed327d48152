// name: search_provisions
// purpose: provisions whose own text contains a phrase (case-insensitive), in the given law versions
// parameters: $q (lower-case phrase), $versions (list of LawVersion ids, e.g. the latest of each law), $limit (int)
// example: {"q": "fracción ii", "versions": ["/mx/ley/lgamvlv@2026-01-15"], "limit": 50}
MATCH (pv:ProvisionVersion)
WHERE pv.version_id IN $versions AND toLower(pv.text) CONTAINS $q
RETURN pv.id AS id, pv.version_id AS version_id, pv.kind AS kind, pv.label AS label,
       pv.text AS text, pv.page AS page, pv.repealed AS repealed
ORDER BY pv.version_id, pv.ordinal
LIMIT $limit
