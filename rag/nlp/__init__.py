"""Language helpers shared by every stage: words, names, sentences, injection filter."""
