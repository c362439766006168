// The store's schema: a generic property graph (any label, type or property key, as openCypher
// needs) with the domain's lookups kept indexed. Migrations build it from an empty file.
import GRDB

/// The tables, as the query compiler and the ingest see them.
///
/// - `node(id, props)`: `props` is a JSON object, the Cypher property map. JSON keeps `1` and `1.0`
///   apart and keeps `true`/`false` (read them with `json_type`, since `json_extract` gives 1/0).
/// - `node_label(node, label)`: a node's labels, one row each.
/// - `edge(id, type, src, dst, props)`: a directed, typed relationship with its property map.
///   Asserted edges carry their evidence as properties: `via`, `source`, `line`, and for lexicon
///   links `field` and `phrase`.
/// - `ident(kind, value, node)`: identifiers → node, many to one (`arxiv` base id, `doi` normalised,
///   `bibkey`, `fingerprint` = normalised title|year|first family name, `taxonomy` id).
/// - `provenance(node, source, line, fields)`: which Source node gave which fields of a node, and
///   from which line; `fields` is a JSON object field → value as that source stated it.
/// - `paper_fts(title, abstract)`: FTS5 index of papers, rowid = node id. Contentless (the text lives in
///   the Paper's props): query it with MATCH for rowids; removing a row takes FTS5's 'delete' command
///   with the values that were indexed.
public enum Schema {
    /// Property keys with an expression index on `json_extract(props, '$.KEY')`. The query
    /// compiler must write property access in exactly this form for these keys to use them. The
    /// indexes are partial (nodes without the key are not in them), which any `=`, `<`, `>` or `IN`
    /// test on the expression satisfies.
    public static let indexedPropertyKeys = ["id", "arxiv", "doi", "key", "name"]

    /// The secondary indexes: edges by target and by type, identifiers and labels by node, nodes by
    /// property. Their definitions are the migration's, by name.
    static let secondaryIndexes: [(name: String, sql: String)] = [
        ("edge_in", "CREATE INDEX IF NOT EXISTS edge_in ON edge(dst, type, src)"),
        ("edge_by_type", "CREATE INDEX IF NOT EXISTS edge_by_type ON edge(type)"),
        ("ident_by_node", "CREATE INDEX IF NOT EXISTS ident_by_node ON ident(node)"),
        ("node_label_by_node", "CREATE INDEX IF NOT EXISTS node_label_by_node ON node_label(node, label)"),
    ] + indexedPropertyKeys.map { key in
        ("node_prop_\(key)", "CREATE INDEX IF NOT EXISTS node_prop_\(key) ON node(json_extract(props, '$.\(key)')) "
            + "WHERE json_extract(props, '$.\(key)') IS NOT NULL")
    }

    /// The indexes a bulk load drops while it writes and builds again at its end
    /// (`GraphStore.deferIndexes`): edges by target, which the ingest never reads. Its entries come
    /// in no order (a paper's authors are anywhere in the node table), so keeping it up row by row
    /// changes pages all over it at every file; one sort at the end costs less. The other
    /// secondary indexes stay up during a load: their entries come in order (new nodes by id,
    /// edges by type among a few) or are few and small (one property entry per paper, author or
    /// category, SQLite parsing a row's JSON once for all five), which costs less than a scan of
    /// the node or edge table for each of them at the end (for 100,000 arXiv papers, about
    /// 0.5 CPU-s row by row against 2.6 s rebuilt).
    static let deferrableIndexes = secondaryIndexes.filter { $0.name == "edge_in" }

    /// Builds any secondary index that is missing (after a bulk load, or one that was interrupted).
    static func restoreIndexes(_ db: Database) throws {
        for index in secondaryIndexes { try db.execute(sql: index.sql) }
    }

    /// Starts a bulk load (`GraphStore.deferIndexes`): drops the deferrable indexes and stops
    /// FTS5's automatic merging of the full-text index's segments. Each file's commit still adds one
    /// segment; FTS5's crisis merge (16 segments of a level) keeps their number low, and each text
    /// is merged about once instead of at every level of a four-way merge.
    static func beginBulkLoad(_ db: Database) throws {
        for index in deferrableIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
        try db.execute(sql: "INSERT INTO paper_fts(paper_fts, rank) VALUES ('automerge', 0)")
    }

    /// Ends a bulk load, or repairs one that was interrupted: builds the missing indexes and turns
    /// the full-text index's automatic merging back on (FTS5's default, 4).
    static func endBulkLoad(_ db: Database) throws {
        try restoreIndexes(db)
        try db.execute(sql: "INSERT INTO paper_fts(paper_fts, rank) VALUES ('automerge', \(ftsAutomerge))")
    }

    /// FTS5's `automerge` outside a bulk load (its default).
    static let ftsAutomerge = 4

    /// WAL pages after which a commit copies the log into the database: SQLite's default, and
    /// the larger value of a bulk load, whose checkpoints run on a thread of their own
    /// (`BackgroundCheckpoint`; 128 MB of 16 KB pages).
    static let checkpointPages = 1000
    static let bulkCheckpointPages = 8192

    /// The page size of a new database file, in bytes.
    public static let pageSize = 16384

    /// Bytes of pending full-text terms FTS5 holds in memory before writing a segment.
    static let ftsHashSize = 8 << 20

    public static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-graph") { db in
            try db.execute(sql: """
                CREATE TABLE node (
                    id INTEGER PRIMARY KEY,
                    props TEXT NOT NULL DEFAULT '{}'
                );
                CREATE TABLE node_label (
                    node INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
                    label TEXT NOT NULL,
                    PRIMARY KEY (label, node)
                ) WITHOUT ROWID;
                CREATE INDEX node_label_by_node ON node_label(node, label);
                CREATE TABLE edge (
                    id INTEGER PRIMARY KEY,
                    type TEXT NOT NULL,
                    src INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
                    dst INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
                    props TEXT NOT NULL DEFAULT '{}'
                );
                CREATE INDEX edge_out ON edge(src, type, dst);
                CREATE INDEX edge_in ON edge(dst, type, src);
                CREATE INDEX edge_by_type ON edge(type);
                CREATE TABLE ident (
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    node INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
                    PRIMARY KEY (kind, value)
                ) WITHOUT ROWID;
                CREATE INDEX ident_by_node ON ident(node);
                CREATE TABLE provenance (
                    node INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
                    source INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
                    line INTEGER,
                    fields TEXT NOT NULL DEFAULT '{}',
                    PRIMARY KEY (node, source)
                ) WITHOUT ROWID;
                CREATE VIRTUAL TABLE paper_fts USING fts5(title, abstract, content='');
                """)
            try restoreIndexes(db)
        }
        migrator.registerMigration("v2-fts-hashsize") { db in
            // FTS5 keeps new terms in memory until this many bytes (default 1 MB) or the end of the
            // transaction, then writes them as one segment: fewer, larger segments to merge.
            try db.execute(sql: "INSERT INTO paper_fts(paper_fts, rank) VALUES ('hashsize', \(ftsHashSize))")
        }
        return migrator
    }
}
