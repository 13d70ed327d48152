// name: stats_nodes
// purpose: node count per label (staged nodes of incomplete versions included; see incomplete_versions)
// parameters: none
// example: {}
MATCH (n)
RETURN labels(n)[0] AS label, count(n) AS count
ORDER BY label
