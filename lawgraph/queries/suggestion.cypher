// name: suggestion
// purpose: one civil-society suggestion's properties and the title of the law it targets, when loaded
// parameters: $sug_id (string, 'SUG-' + 12 hex or the id given on import)
// example: {"sug_id": "SUG-000000000000"}
MATCH (s:`Suggestion` {id: $sug_id})
OPTIONAL MATCH (s)-[:`TARGETS`]->(law:`Law`)
RETURN properties(s) AS s, law.title AS law_title
