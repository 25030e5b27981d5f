"""{{name}}: created by `reprise init`."""
