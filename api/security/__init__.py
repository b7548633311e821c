"""Privacy and security: audit trail, personal-data masking, the guards in front of the app (rate
limits, body and frame caps, strict JSON, security headers, CORS, trusted proxies), production checks."""
