"""Evaluation tools: how well the product does on labelled data it was never tuned on.

Not part of the app. The api (``api/``), the assistant (``bot/``) and the actions
(``actions/``) never import from here; these tools import the app to measure it, and tests
may import them to check their data. Each tool writes its figures to ``results/`` and has a
Makefile target:

- ``nlu.py`` (``make nlu-eval``): held-out intent figures per language and out-of-scope
  false-accepts of the trained model (``results/nlu/heldout.*``), on the sets in
  ``data/nlu/`` with the labels of ``labels.py``;
- ``massive.py`` (``make bench-massive``): the NLU pipeline trained and scored on the public
  MASSIVE pl-PL benchmark (``results/nlu/massive.json``);
- ``third_party_oos.py`` (``make oos-data``): out-of-scope training examples drawn from the
  benchmarks' train/valid splits (never their test splits, which ``nlu.py`` probes with);
- ``moderation.py`` (``make moderation-eval``): seller-message moderation precision and
  recall on ``data/moderation/`` (``results/privacy/moderation.*``);
- ``privacy.py`` (``make privacy-eval``): personal-data masking precision and recall on
  ``data/privacy/`` (``results/privacy/masking.*``); ``build_pii_labelled.py`` generates the
  labelled set's checksummed values.

The labelled data lives in ``evaluation/data/``: it measures the product, so it belongs with
the tools, not with the tests (which read it from here to check that it stays unseen and
well-formed).
"""
