package dev.holdfast.error;

import java.sql.SQLException;

/**
 * The database could not write because its storage is full: SQLite SQLITE_FULL (the disk, or the file reached PRAGMA
 * max_page_count), PostgreSQL 53100, MariaDB 1114 (table full) and 1021 (disk full). The statement and its
 * transaction are rolled back; what was committed before is intact. Not retried: free space (or raise the limit)
 * first.
 */
public class DiskFullException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public DiskFullException(String message, SQLException cause) {
        super(message, cause);
    }
}
