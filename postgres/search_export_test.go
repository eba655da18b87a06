package postgres

// SearchSQL exposes the search's SQL to the benchmark, which explains it on request.
func SearchSQL(text string, limit int) (string, []any, error) {
	terms, err := classifySearch(text)
	if err != nil {
		return "", nil, err
	}
	q, args := searchSQL(terms, 0, limit)
	return q, args, nil
}
