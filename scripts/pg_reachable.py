"""Exit 0 if the PostgreSQL server in argv[1] accepts a connection, else 1 with the reason."""

import sys

import psycopg

try:
    with psycopg.connect(sys.argv[1], connect_timeout=5) as connection:
        connection.execute("select 1")
except psycopg.Error as exc:
    print(f"PostgreSQL unreachable: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
