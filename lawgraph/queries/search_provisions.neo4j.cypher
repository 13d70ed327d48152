// name: search_provisions (Neo4j variant)
// purpose: provisions whose own text contains a phrase (case-insensitive), in the given law versions;
//   candidates come from the Spanish full-text index lawgraph_provision_text (a Lucene phrase query
//   built from $q, with its backslashes and quotes escaped), then the same CONTAINS test as the
//   common text keeps exactly its answers. Differs from it only for a phrase that cuts a word
//   ("pósita pers") or is made of stop words alone ("de la"): the index finds whole words.
// parameters: $q (lower-case phrase), $versions (list of LawVersion ids, e.g. the latest of each law), $limit (int)
// example: {"q": "fracción ii", "versions": ["/mx/ley/lgamvlv@2026-01-15"], "limit": 50}
CALL db.index.fulltext.queryNodes('lawgraph_provision_text',
       '"' + replace(replace($q, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS pv
WITH pv
WHERE pv.version_id IN $versions AND toLower(pv.text) CONTAINS $q
RETURN pv.id AS id, pv.version_id AS version_id, pv.kind AS kind, pv.label AS label,
       pv.text AS text, pv.page AS page, pv.repealed AS repealed
ORDER BY pv.version_id, pv.ordinal
LIMIT $limit
