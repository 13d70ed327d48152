// name: unmatched_notes
// purpose: reform notes of a law version (in force at a date, latest when null) whose DOF date matches no decree the version lists
// parameters: $law_key (string), $at (ISO date string or null)
// example: {"law_key": "cpeum", "at": null}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND v.amendments_complete = true
  AND ($at IS NULL OR v.date <= $at)
WITH v
ORDER BY v.date DESC
LIMIT 1
MATCH (v)-[:HAS_UNMATCHED_NOTE]->(n:UnmatchedNote)
RETURN v.id AS version_id, n.article AS article, n.path AS path, n.note AS note,
       n.date AS date, n.reason AS reason
ORDER BY n.id
