// name: suggestion_proposals
// purpose: initiatives presented on or after a suggestion's date that propose changes to an article linked to it (not rejected), with their synopsis, chamber, stage and status
// parameters: $sug_id (string)
// plan: the linked provision's id and each '/'-prefix of it are looked up by id (an article and the
//   units under it share its id as prefix), not found by scanning every Proposal
// example: {"sug_id": "SUG-000000000000"}
MATCH (s:`Suggestion` {id: $sug_id})-[l:`LINK`]->(p:`Provision`)
WHERE l.status <> 'rejected'
WITH s, l, p, split(p.id, '/') AS parts
UNWIND range(1, size(parts)) AS n
WITH s, l, p, reduce(acc = head(parts), x IN parts[1..n] | acc + '/' + x) AS aid
MATCH (a:`Provision` {id: aid})
WITH s, l, a
MATCH (a)<-[:`ON_PROVISION`]-(:`ProposalTarget`)<-[:`PROPOSES`]-(prop:`Proposal`)
WHERE prop.date_presented >= s.date
RETURN DISTINCT prop.id AS id, prop.title AS title, prop.synopsis AS synopsis, prop.chamber AS chamber,
       prop.date_presented AS date_presented, prop.stage AS stage, prop.status AS status, a.id AS article, l.status AS link_status
ORDER BY date_presented
LIMIT 50
