-- Purpose: drop a region reference read into wilayah_baru that failed its checks (ref/wilayah_tidak_sah.sql):
-- the warehouse keeps the reference it has. Grain: drops one temporary table.
DROP TABLE wilayah_baru;
