"""Report folders into raw rows: scan, decode, extract in worker processes, and the raw write model.
May import warehouse/ and extraction/."""
