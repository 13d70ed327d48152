// name: search_corpus_counts
// purpose: how many nodes of each searchable label the graph holds; the search index is rebuilt when these change
// parameters: none
// example: {}
MATCH (n)
WHERE n:ProvisionVersion OR n:Proposal OR n:Decree OR n:Recommendation OR n:Suggestion OR n:LawVersion
RETURN labels(n)[0] AS label, count(n) AS n
