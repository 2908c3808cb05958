-- Purpose: the schemas. core = canonical history, mart = figures for readers, staging = one run's
-- intake (internal: readers must not rely on it).
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS mart;
CREATE SCHEMA IF NOT EXISTS staging;
