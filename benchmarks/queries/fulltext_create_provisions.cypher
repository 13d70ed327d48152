// name: fulltext_create_provisions
// purpose: FalkorDB's own full-text index (RediSearch, Spanish stemmer) on ProvisionVersion.text, measured against lawgraph.search by benchmarks/bench_search.py; FalkorDB DDL, not portable (a Neo4j variant would be CREATE FULLTEXT INDEX … OPTIONS {indexConfig: {`fulltext.analyzer`: 'spanish'}})
// parameters: none
// example: {}
CALL db.idx.fulltext.createNodeIndex({label: 'ProvisionVersion', language: 'Spanish'}, 'text')
