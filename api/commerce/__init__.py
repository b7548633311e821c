"""Commerce data: buyers, sellers, orders, shipments, behind a port so a real marketplace can plug in."""
