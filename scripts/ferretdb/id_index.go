package main

// FerretDB v1.24's SQLite backend pushes an `_id` equality down as
// `WHERE _ferretdb_sjson->'$._id' = ?`, but the unique `_id` index it creates
// is on `_ferretdb_sjson->"_id"`. SQLite matches index expressions textually,
// so every point read, update and delete by `_id` scans the whole table (its
// own EXPLAIN says SCAN). This file adds, beside each collection table, an
// index on exactly the pushed-down expression. It changes no result (same
// expression, same collation), only the plan, and FerretDB drops it with the
// table. Real MongoDB needs none of this.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

const idPathIndexSuffix = "__switchyard_id_path"

// maintainIDPathIndexes runs until ctx ends, indexing new collection tables
// shortly after FerretDB creates them; a table younger than one sweep is small
// enough that a scan of it costs nothing.
func maintainIDPathIndexes(ctx context.Context, dataDir string, every time.Duration, logger *slog.Logger) {
	dbs := map[string]*sql.DB{}
	defer func() {
		for _, db := range dbs {
			_ = db.Close()
		}
	}()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dataDir, "*.sqlite"))
		for _, file := range files {
			db, ok := dbs[file]
			if !ok {
				var err error
				// The same busy timeout FerretDB uses, so an index build waits for its writers rather than failing.
				db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
				if err != nil {
					logger.Warn("id path index: cannot open", "file", file, "err", err)
					continue
				}
				db.SetMaxOpenConns(1)
				dbs[file] = db
			}
			if err := indexTables(ctx, db); err != nil && ctx.Err() == nil {
				logger.Warn("id path index: sweep failed", "file", file, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func indexTables(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `
		SELECT t.name FROM sqlite_master t
		WHERE t.type = 'table' AND t.name NOT LIKE '\_ferretdb\_%' ESCAPE '\' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = t.name || ?)`, idPathIndexSuffix)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		// Must stay textually identical to FerretDB's metadata.IDColumn for the planner to use it.
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+idPathIndexSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			// A table dropped between the listing and here is not an error worth a retry storm.
			if strings.Contains(err.Error(), "no such table") {
				continue
			}
			return err
		}
	}
	return nil
}
