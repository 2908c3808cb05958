"""Loading a run into the warehouse, its one writer: staging, the rules across rows, files and quarters,
core, the marts, and the invariants checked before the publish."""
