"""What the app keeps and for how long: the retention purge, a buyer's erasure, and the removal of
conversations they share (database rows, image files, Rasa's tracker store).

Above every other area's models, since a buyer's data lives in all of them; nothing imports it but
the app's start-up (the purge loop), the internal erasure endpoint and the command line.
"""
