// name: search_corpus_suggestions
// purpose: the searchable text of every civil-society suggestion with its organisation, date and priority area
// parameters: none
// example: {}
MATCH (s:Suggestion)
RETURN s.id AS id, s.text AS text, s.organisation AS organisation, s.date AS date,
       s.priority_area AS area
