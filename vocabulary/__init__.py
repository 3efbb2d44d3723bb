"""The words both sides share: the indexer (write path) and the assistant (read path) import them from
here, and this package imports neither. months.py, stopwords.py, sectors.py, sentences.py, countries.py,
words.py (tokens, stems, content words), roots.py (the word model: a word's root, synonyms, acronyms;
the build stores each fact's words made with it and the matcher roots the question's), units.py.

The currency table is `indexer/numbers.py`'s CURRENCIES (one table, imported by the extractor,
the matcher, the examples and the chat); tests/test_vocabulary.py checks both sides agree on it.
"""
