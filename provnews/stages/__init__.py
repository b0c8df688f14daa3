"""Stage functions, one module each, called by both the CLI (provnews.commands) and the DAGs."""
