"""Rasa's command line with the project's hot-path fixes installed first (bot/hot_path.py).

Every place that starts Rasa (Procfile, ops/servers.py, ops/scaled.py, bench) runs
``python -m bot.serve run ...`` instead of ``rasa run ...``; the arguments are Rasa's own.
"""

from __future__ import annotations

import os
import sys

from bot import hot_path


def main() -> None:
    # Idle OpenMP threads of the sentence encoder sleep instead of spinning (bot/nlu/sentence_embeddings.py).
    # Set before anything loads OpenMP; the Makefile exports it too, a launcher outside make may not.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    hot_path.apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
