"""The DuckDB warehouse: SQL files run by name, the schema and its migrations, the one writer's lock and
working copy, and the atomic publish that readers never see half of."""
