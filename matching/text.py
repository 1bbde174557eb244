"""TF-IDF text similarity over Dutch descriptions and themes (word and character n-grams)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

__all__ = ["DUTCH_STOP_WORDS", "WORD_PATTERN", "TextSimilarity"]

# The 106 Dutch words of the `stop-words` package (BSD-3), copied here because the
# matching package may not depend on it, plus filler that every hulpvraag and
# every offer uses ("graag", "willen", "onze") and that only adds noise.
_STOP_WORDS_TEXT = """
    aan af al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen
    door dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe
    hun iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na
    naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot
    u uit uw van veel voor want waren was wat we wel werd wezen wie wij wil worden wordt
    zal ze zei zelf zich zij zijn zo zonder zou
    onze jullie graag willen zoeken zoekt waarin waar kunt heel goed
"""
DUTCH_STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Words of two or more letters or digits; "3d" and "pv" count, "3" does not.
WORD_PATTERN = r"(?u)\b\w\w+\b"


class TextSimilarity:
    """Cosine similarity of TF-IDF vectors made of word and character n-grams.

    Character n-grams (``char_wb``: within word boundaries) let Dutch compounds
    and spelling variants meet: "installatietechniek" shares most of its
    n-grams with "installatie", "electrotechniek" with "elektrotechniek".

    The character part is computed per distinct word and summed per document
    through a sparse product, which gives exactly the ``char_wb`` counts of the
    stop-word-free text at a fraction of the cost of analysing every document.

    Parameters
    ----------
    word_ngram_range : tuple of int, default (1, 2)
        Word n-grams (after stop-word removal).
    char_ngram_range : tuple of int, default (3, 5)
        Character n-grams within words.
    char_weight : float, default 0.6
        Share of the cosine that comes from the character part (0-1).
    stop_words : iterable of str, default DUTCH_STOP_WORDS
        Words left out of both parts.
    min_df : int, default 1
        Minimum document frequency of word n-grams longer than one word when the
        corpus has at least ``prune_from`` documents (rare bigrams only cost memory).
    prune_from : int, default 5000
        Corpus size from which ``min_df`` applies.
    sublinear_tf : bool, default True
        Use ``1 + log(tf)`` instead of raw counts.

    Attributes
    ----------
    word_vectorizer_ : CountVectorizer
        Word n-gram counter fitted on the corpus.
    char_vectorizer_ : CountVectorizer or None
        Character n-gram counter fitted on the corpus's words.
    word_tfidf_, char_tfidf_ : TfidfTransformer or None
        Inverse document frequencies of each part.
    words_ : ndarray of str
        The corpus's single words (lower case, stop words left out), sorted.
    doc_words_ : scipy.sparse.csc_matrix
        Word counts of the fitted corpus, documents × ``words_``; kept so that
        callers can look words up in documents without analysing them again.
    n_features_ : int
        Width of the vectors returned by ``transform``.
    """

    def __init__(
        self,
        *,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (3, 5),
        char_weight: float = 0.6,
        stop_words: Iterable[str] = DUTCH_STOP_WORDS,
        min_df: int = 2,
        prune_from: int = 5000,
        sublinear_tf: bool = True,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.char_weight = char_weight
        self.stop_words = stop_words
        self.min_df = min_df
        self.prune_from = prune_from
        self.sublinear_tf = sublinear_tf

    # -- fitting -----------------------------------------------------------------------------

    def fit(self, documents: Sequence[str]) -> TextSimilarity:
        """Learn vocabularies and inverse document frequencies from ``documents``.

        Parameters
        ----------
        documents : sequence of str
            The corpus (for the matcher: each offer's description and themes).

        Returns
        -------
        TextSimilarity
            ``self``.
        """
        self.fit_transform(documents)
        return self

    def fit_transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        """Fit on ``documents`` and return their L2-normalised float32 vectors.

        Parameters
        ----------
        documents : sequence of str
            The corpus.

        Returns
        -------
        scipy.sparse.csr_matrix
            One row per document; rows of documents without words are zero.
        """
        documents = list(documents)
        self.word_vectorizer_ = CountVectorizer(
            token_pattern=WORD_PATTERN,
            stop_words=sorted(self.stop_words),
            ngram_range=self.word_ngram_range,
            dtype=np.float32,
        )
        self.char_vectorizer_: CountVectorizer | None = None
        self.word_tfidf_: TfidfTransformer | None = None
        self.char_tfidf_: TfidfTransformer | None = None
        try:
            counts = self.word_vectorizer_.fit_transform(documents).tocsc()
        except ValueError:
            # No document has a single word: every similarity is 0.
            self.words_ = np.array([], dtype=str)
            self.doc_words_ = sp.csc_matrix((len(documents), 0), dtype=np.float32)
            self.n_features_ = 0
            return sp.csr_matrix((len(documents), 0), dtype=np.float32)

        terms = self.word_vectorizer_.get_feature_names_out()
        is_word = np.char.find(terms.astype(str), " ") < 0
        keep = is_word.copy()
        if len(documents) >= self.prune_from and self.min_df > 1:
            # Rare phrases only cost memory; single words stay for the character part.
            df = np.diff(counts.indptr)
            keep |= df >= self.min_df
        if not keep.all():
            counts = counts[:, np.flatnonzero(keep)]
            terms, is_word = terms[keep], is_word[keep]
            self.word_vectorizer_.vocabulary_ = {t: i for i, t in enumerate(terms)}
        counts = counts.tocsr()

        self.word_tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        word_part = self.word_tfidf_.fit(counts).transform(counts, copy=True)

        word_cols = np.flatnonzero(is_word)
        self.words_ = terms[is_word]
        self.doc_words_ = counts[:, word_cols].tocsc()
        words = self.words_.tolist()
        self.char_vectorizer_ = CountVectorizer(
            analyzer="char_wb", ngram_range=self.char_ngram_range, dtype=np.float32
        )
        per_word = self.char_vectorizer_.fit_transform(words)
        char_counts = self.doc_words_.tocsr() @ per_word
        self.char_tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        # In place: at 100 000 documents this matrix is the largest object in the build.
        char_part = self.char_tfidf_.fit(char_counts).transform(char_counts, copy=False)
        del char_counts

        matrix = self._combine(word_part, char_part)
        self.n_features_ = matrix.shape[1]
        return matrix

    # -- using -------------------------------------------------------------------------------

    def transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        """Return L2-normalised float32 vectors of ``documents`` in the fitted space.

        Words unknown to the corpus still count through their character n-grams.

        Parameters
        ----------
        documents : sequence of str
            Texts to vectorise.

        Returns
        -------
        scipy.sparse.csr_matrix
            Shape ``(len(documents), n_features_)``.
        """
        self._check_fitted()
        documents = list(documents)
        if self.word_tfidf_ is None or self.char_vectorizer_ is None or self.char_tfidf_ is None:
            return sp.csr_matrix((len(documents), 0), dtype=np.float32)
        word_part = self.word_tfidf_.transform(
            self.word_vectorizer_.transform(documents), copy=False
        )
        analyze = self.word_vectorizer_.build_analyzer()
        words_only = [" ".join(t for t in analyze(doc) if " " not in t) for doc in documents]
        char_part = self.char_tfidf_.transform(
            self.char_vectorizer_.transform(words_only), copy=False
        )
        return self._combine(word_part, char_part)

    def similarity(self, a: str, b: str) -> float:
        """Return the cosine similarity (0-1) of two texts in the fitted space.

        Raises
        ------
        RuntimeError
            When called before ``fit``.
        """
        self._check_fitted()
        vectors = self.transform([a, b])
        return float(min(1.0, max(0.0, vectors[0].multiply(vectors[1]).sum())))

    # -- helpers -----------------------------------------------------------------------------

    def _combine(self, word_part: sp.spmatrix, char_part: sp.spmatrix) -> sp.csr_matrix:
        # Each part is unit length, so scaling by sqrt(share) makes the cosine of the
        # joined vectors the share-weighted mean of the two cosines. Scaled in place
        # (both parts are fresh float32 matrices) so only the joined matrix is new.
        char_share = min(1.0, max(0.0, float(self.char_weight)))
        word_part = sp.csr_matrix(word_part, dtype=np.float32)
        char_part = sp.csr_matrix(char_part, dtype=np.float32)
        word_part.data *= np.float32(np.sqrt(1.0 - char_share))
        char_part.data *= np.float32(np.sqrt(char_share))
        return sp.hstack([word_part, char_part], format="csr", dtype=np.float32)

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_features_"):
            raise RuntimeError("TextSimilarity is not fitted yet: call fit() first")
