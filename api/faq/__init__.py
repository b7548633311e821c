"""FAQ answers on demand, from the one FAQ content file the assistant uses too."""
