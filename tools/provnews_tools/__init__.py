"""Tools around the provnews pipeline, in their own distribution (tools/pyproject.toml): `make demo`
(provnews_tools.demo), the `make airflow` launcher (provnews_tools.airflow_standalone), the replica's source
profiles (provnews_tools.replica_sources), `provnews replica` (provnews_tools.replica_command) and synthetic
articles for tests and benches (provnews_tools.synthetic). The replica itself is the `replica` package beside it."""
