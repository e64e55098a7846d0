"""Answer: read the question, retrieve, decide, then generate, extract or decline."""
