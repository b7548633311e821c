"""How the processes are started and configured: shared by the api, the action server, tests and bench.

Standard library only and importing nothing from ``api``, ``actions`` or ``tests``, so each of the
three processes (and the tools that start them) can depend on it without crossing a layer.
"""
