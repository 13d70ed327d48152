// name: search_corpus_provisions
// purpose: the searchable text of every provision in the given law versions (the search index is built from these rows)
// parameters: $versions (list of LawVersion ids, e.g. the latest of each law)
// example: {"versions": ["/mx/ley/lgamvlv@2026-01-15"]}
MATCH (pv:ProvisionVersion)
WHERE pv.version_id IN $versions AND pv.text IS NOT NULL
RETURN pv.id AS id, pv.version_id AS version_id, pv.kind AS kind, pv.label AS label,
       pv.text AS text, pv.page AS page, pv.repealed AS repealed, pv.ordinal AS ordinal
