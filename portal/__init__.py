"""The customer portal blueprint (/portal): built in the portal issue."""
