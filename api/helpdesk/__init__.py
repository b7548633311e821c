"""The human side of support: agent accounts and sessions, the queue, the agent console's rules and
views, tickets with SLA clocks on business calendars, reopening, idle conversations, oversight."""
