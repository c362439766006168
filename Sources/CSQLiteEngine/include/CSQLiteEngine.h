// SQLite's process-wide settings for litgraph, chosen once before any connection opens.
// `sqlite3_config` is variadic, which Swift cannot call; this target calls it from C.
#ifndef LITGRAPH_CSQLITEENGINE_H
#define LITGRAPH_CSQLITEENGINE_H

#include <sqlite3.h>

/// What `lit_sqlite_configure` did: SQLITE_OK when SQLite took every setting, else the first
/// failing call's code (SQLITE_MISUSE when SQLite was already initialised: it then keeps its
/// defaults, which are slower but equally correct). Runs the configuration if it has not run yet.
int lit_sqlite_configure(void);

/// Whether SQLite guards `db` with a mutex of its own (serialized mode): 0 in multi-thread mode.
int lit_sqlite_connection_has_mutex(sqlite3 *db);

/// The bytes SQLite counts as allocated: stays 0 while its memory statistics are off.
sqlite3_int64 lit_sqlite_memory_counted(void);

#endif
