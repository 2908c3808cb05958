"""Reading one submitted file (xlsx or csv) into what it says, bounded by the size of its data: its
identity, its data rows with their Excel row numbers, the rows that are no data, and the problems found."""
