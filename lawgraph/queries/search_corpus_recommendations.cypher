// name: search_corpus_recommendations
// purpose: the searchable text of every recommendation (its recommending part, or its whole text) with body, document symbol, paragraph and year
// parameters: none
// example: {}
MATCH (r:Recommendation)
RETURN r.id AS id, coalesce(r.recommendation_part, r.text) AS text, r.body AS body,
       r.document AS document, r.paragraph AS paragraph, r.subparagraph AS subparagraph, r.year AS year
