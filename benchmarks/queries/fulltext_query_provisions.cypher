// name: fulltext_query_provisions
// purpose: provision versions matching a RediSearch query through FalkorDB's full-text index (fulltext_create_provisions), for benchmarks/bench_search.py
// parameters: $q (RediSearch query: words that must all appear), $limit (int)
// example: {"q": "violencia", "limit": 5}
CALL db.idx.fulltext.queryNodes('ProvisionVersion', $q) YIELD node, score
RETURN node.id AS id, node.version_id AS version_id, score
ORDER BY score DESC
LIMIT $limit
