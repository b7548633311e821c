"""The seller's half of the Helpdesk: seller accounts, their inbox, answers and case updates to buyers."""
