"""Commerce data (buyers, sellers, orders, shipments, wallets, digital codes, account restrictions)
behind a port, so a real marketplace can plug in its own adapter."""
