"""The warehouse: addresses, connections and the writer lock, DuckLake, the raw schema, history copies,
build inputs. May import extraction/ only (and paths)."""
