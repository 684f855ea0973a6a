"""From documents to layers: read, extract, merge, locate, join, validate, export."""
