"""Use cases, one verb_noun function each; they flush but never commit (see transactions)."""
