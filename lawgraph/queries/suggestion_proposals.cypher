// name: suggestion_proposals
// purpose: initiatives presented on or after a suggestion's date that propose changes to an article linked to it (not rejected), with their synopsis, chamber, stage and status
// parameters: $sug_id (string)
// example: {"sug_id": "SUG-000000000000"}
MATCH (s:`Suggestion` {id: $sug_id})-[l:`LINK`]->(p:`Provision`)
WHERE l.status <> 'rejected'
MATCH (prop:`Proposal`)-[:`PROPOSES`]->(:`ProposalTarget`)-[:`ON_PROVISION`]->(a:`Provision`)
WHERE (p.id = a.id OR p.id STARTS WITH (a.id + '/')) AND prop.date_presented >= s.date
RETURN DISTINCT prop.id AS id, prop.title AS title, prop.synopsis AS synopsis, prop.chamber AS chamber,
       prop.date_presented AS date_presented, prop.stage AS stage, prop.status AS status, a.id AS article, l.status AS link_status
ORDER BY date_presented
LIMIT 50
