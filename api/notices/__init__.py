"""Proactive notices: order events from the commerce port turned into chat notices for the buyer."""
