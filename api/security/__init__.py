"""Privacy and security: audit trail, personal-data masking, limits."""
