// name: recs_summary
// purpose: how many recommendations, suggestions and links (by review status) the graph holds (equivalences between jurisdictions, kind 'equivalent', are left out)
// parameters: none
// plan: every LINK id starts 'LINK-' (ids.link_id), so the range ['LINK-', 'LINK.') of the LINK id
//   index enumerates the links without scanning every node (tests/test_query_plans.py)
// example: {}
OPTIONAL MATCH (r:`Recommendation`)
WITH count(r) AS recommendations
OPTIONAL MATCH (s:`Suggestion`)
WITH recommendations, count(s) AS suggestions
OPTIONAL MATCH (a)-[l:`LINK`]->()
WHERE l.id >= 'LINK-' AND l.id < 'LINK.' AND coalesce(l.kind, '') <> 'equivalent'
RETURN recommendations, suggestions,
       count(CASE WHEN l.status = 'suggested' THEN 1 END) AS suggested,
       count(CASE WHEN l.status = 'confirmed' THEN 1 END) AS confirmed,
       count(CASE WHEN l.status = 'rejected' THEN 1 END) AS rejected
