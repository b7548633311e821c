"""Rasa's command line with the project's hot-path fixes installed first (bot/hot_path.py).

Every place that starts Rasa (Procfile, ops/servers.py, ops/scaled.py, bench) runs
``python -m bot.serve run ...`` instead of ``rasa run ...``; the arguments are Rasa's own.
"""

from __future__ import annotations

import sys

from bot import hot_path


def main() -> None:
    hot_path.apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
