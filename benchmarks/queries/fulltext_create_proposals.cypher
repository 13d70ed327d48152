// name: fulltext_create_proposals
// purpose: FalkorDB's own full-text index (RediSearch, Spanish stemmer) on Proposal.title, measured against lawgraph.search by benchmarks/bench_search.py; FalkorDB DDL, not portable
// parameters: none
// example: {}
CALL db.idx.fulltext.createNodeIndex({label: 'Proposal', language: 'Spanish'}, 'title')
