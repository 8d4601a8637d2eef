"""Running a command over cases: which folders, loading and checking each one (over the
cores for a large workspace), and the store that keeps each case's results between runs
while its files are unchanged. The commands give the work; the engine gives back data."""
