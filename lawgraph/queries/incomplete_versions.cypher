// name: incomplete_versions
// purpose: law versions whose load has not finished (in progress, or interrupted and awaiting a re-run); readers never see them
// parameters: none
// example: {}
MATCH (v:LawVersion)
WHERE v.complete = false
RETURN v.id AS id, v.law_id AS law_id, v.date AS date
ORDER BY id
