"""The warehouse: addresses, the file and lake backends (backends.py), the writer lock, DuckLake, the
raw schema, history copies, build inputs. May import extraction/ only (and paths)."""
