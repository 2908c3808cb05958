"""How a run uses the machine: files read in worker processes a file may bring down, reports written in
parallel, the imported libraries kept out of the garbage collector, and the temporary Prefect server of
`rekap run`. Speed and isolation live here, out of the stages."""
