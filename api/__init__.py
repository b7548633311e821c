"""marketdesk api: the gateway between buyers, the Rasa assistant and the commerce data."""
