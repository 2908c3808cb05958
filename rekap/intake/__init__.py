"""Intake: the files of a source (a folder, an HTTP(S) listing or index, S3-compatible storage), which are
read and which are passed over and why, and the raw store that keeps each file as received."""
