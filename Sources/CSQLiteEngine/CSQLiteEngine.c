// SQLite's process-wide configuration. The system library is built serialized (a mutex around
// every call on a connection) and counts every allocation under a global mutex. litgraph needs
// neither: GRDB runs each connection on a serial queue of its own, so no connection or statement is
// ever used by two threads at once, and nothing reads SQLite's memory statistics. Multi-thread mode
// keeps the mutexes SQLite needs between connections (page cache, shared structures) and drops the
// per-connection ones; memory statistics off let each allocation go straight to malloc.
//
// `sqlite3_config` must run before SQLite initialises, which the first connection's open does.
// A constructor runs it when the program loads, before any thread can open one; `lit_sqlite_configure`
// (called by the store before it opens) reports the outcome and guarantees this file is linked.
#include "CSQLiteEngine.h"

static int outcome = -1;

static int configure(void) {
    int code = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (code != SQLITE_OK) return code;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

__attribute__((constructor))
static void configure_at_load(void) {
    outcome = configure();
}

int lit_sqlite_configure(void) {
    // Only reached before the constructor ran if the loader skipped it; configure now then.
    if (outcome == -1) outcome = configure();
    return outcome;
}

int lit_sqlite_connection_has_mutex(sqlite3 *db) {
    return sqlite3_db_mutex(db) != 0;
}

sqlite3_int64 lit_sqlite_memory_counted(void) {
    return sqlite3_memory_used();
}
