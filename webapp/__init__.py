"""The web map, its API and the command-line tool."""
