"""What differs between the two engines, kept here: a SQLite file (the default) and a
PostgreSQL server (team mode). The rest of the store speaks to either through the same
calls (:mod:`.raw` for plain SQL, SQLAlchemy sessions for model objects)."""
