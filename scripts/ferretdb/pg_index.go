package main

// FerretDB v1.24 on PostgreSQL stores each document in one jsonb column,
// `_jsonb`, and pushes an equality filter on a top-level field (a string,
// number, bool, date or ObjectId; `{f: v}` or `{f: {$eq: v}}`) down as
//
//	_jsonb->$1 @> $2          ($1 = 'tenantId', $2 = '"t1"')
//
// The indexes FerretDB creates for the application's createIndexes are btree
// indexes on `((_jsonb->'field'))`: they enforce uniqueness (which switchyard
// relies on: caps, turns and idempotency are unique-key inserts), but a btree
// cannot answer `@>`, so every filtered query, `_id` included, scans the
// table. This file adds, beside each collection table, GIN indexes on exactly
// the pushed-down expressions, `USING gin ((_jsonb->'field') jsonb_path_ops)`,
// for `_id` and for every field of every index the application declared for
// that collection. They answer `@>`; the planner uses them once it sees the
// field name as a constant, which is why the connection URL carries
// plan_cache_mode=force_custom_plan (FerretDB caches prepared statements, and a
// generic plan sees only `$1`). Results are unchanged, only plans. FerretDB
// drops them with the table. Real MongoDB needs none of this.
//
// FerretDB keeps, per database (a PostgreSQL schema), a table
// `_ferretdb_database_metadata` with one jsonb row per collection: `_id` is the
// collection name, `table` its table, `indexes` the declared index specs
// (`[{name, pgindex, key: {field: 1|-1, ...}, unique}]`). A sweep reads them
// all and creates what is missing; a table younger than one sweep is small
// enough that a scan of it costs nothing. Indexes are never dropped here (a
// dropped application index leaves its GIN index until the collection goes).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

const ferretMetadataTable = "_ferretdb_database_metadata"

// maintainGINIndexes runs until ctx ends.
func maintainGINIndexes(ctx context.Context, url string, every time.Duration, logger *slog.Logger) {
	config, err := pgxpool.ParseConfig(url)
	if err != nil {
		logger.Error("gin index: bad PostgreSQL URL", "err", err)
		return
	}
	config.MaxConns = 1
	config.ConnConfig.RuntimeParams["application_name"] = "switchyard-gin-index"
	// CREATE INDEX takes a SHARE lock on the table; while it waits for one,
	// FerretDB's writes queue behind it. Give up quickly and retry next sweep.
	config.ConnConfig.RuntimeParams["lock_timeout"] = "1s"
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		logger.Error("gin index: cannot connect", "err", err)
		return
	}
	defer pool.Close()

	tick := time.NewTicker(every)
	defer tick.Stop()
	lastErr := ""
	for {
		err := sweepGINIndexes(ctx, pool, logger)
		switch {
		case err != nil && ctx.Err() == nil && err.Error() != lastErr:
			// Once per distinct error, so a PostgreSQL that is gone does not flood the log.
			logger.Warn("gin index: sweep failed", "err", err)
			lastErr = err.Error()
		case err == nil:
			lastErr = ""
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ginIndex is one wanted index: its deterministic name and the SQL that makes it.
type ginIndex struct {
	name, sql string
}

func sweepGINIndexes(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	schemas, err := queryStrings(ctx, pool,
		`SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_type = 'BASE TABLE'`, ferretMetadataTable)
	if err != nil {
		return err
	}
	for _, schema := range schemas {
		existing, err := queryStrings(ctx, pool, `SELECT indexname FROM pg_indexes WHERE schemaname = $1`, schema)
		if err != nil {
			return err
		}
		have := make(map[string]bool, len(existing))
		for _, name := range existing {
			have[name] = true
		}
		wanted, err := wantedGINIndexes(ctx, pool, schema)
		if err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "3F000") {
				continue // the database was dropped since the listing
			}
			return err
		}
		for _, idx := range wanted {
			if have[idx.name] {
				continue
			}
			if _, err := pool.Exec(ctx, idx.sql); err != nil {
				var pgErr *pgconn.PgError
				if errors.As(err, &pgErr) {
					switch pgErr.Code {
					case "42P01", "3F000": // the table or schema was dropped since the listing
						continue
					case "55P03": // lock_timeout: FerretDB is busy with the table; next sweep
						continue
					case "42P07", "23505": // created meanwhile by someone else
						continue
					}
				}
				return fmt.Errorf("%s: %w", idx.sql, err)
			}
			logger.Info("gin index: created", "schema", schema, "index", idx.name)
		}
	}
	return nil
}

// wantedGINIndexes lists, for every collection table of one FerretDB
// database, one GIN index over `_id` and every top-level field of its declared
// indexes, each field a column of its own. One index rather than one per
// field: a query's equalities on several fields (tenant, day, source) are then
// answered together inside one index scan, whatever the planner's statistics
// say; with one index per field it may pick a single, unselective one (the
// tenant's) and filter the rest, which grows with the data. A GIN index serves
// any subset of its columns equally well.
func wantedGINIndexes(ctx context.Context, pool *pgxpool.Pool, schema string) ([]ginIndex, error) {
	q := fmt.Sprintf(`SELECT _jsonb->>'table', _jsonb->'indexes' FROM %s`, pgx.Identifier{schema, ferretMetadataTable}.Sanitize())
	rows, err := pool.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ginIndex
	for rows.Next() {
		var table *string
		var rawIndexes []byte
		if err := rows.Scan(&table, &rawIndexes); err != nil {
			return nil, err
		}
		if table == nil || *table == "" {
			continue
		}
		var specs []struct {
			Key map[string]json.RawMessage `json:"key"`
		}
		if len(rawIndexes) > 0 {
			// A row this code cannot read costs only an index, never a result.
			_ = json.Unmarshal(rawIndexes, &specs)
		}
		fields := map[string]bool{"_id": true}
		for _, spec := range specs {
			for field := range spec.Key {
				if indexable(field) {
					fields[field] = true
				}
			}
		}
		out = append(out, ginIndexFor(schema, *table, fields))
	}
	return out, rows.Err()
}

// indexable says whether a field gets a column: only top-level fields, on
// exactly the expression FerretDB's pushdown uses, `_jsonb->'f'`. Dotted keys
// get none: the PostgreSQL backend could push them down as `_jsonb#>'{a,b}'`,
// but FerretDB's find/update/delete handlers strip them from the pushed-down
// filter unless its EnableNestedPushdown test option is on, which the embedded
// package does not expose; an index on them would never be used.
func indexable(field string) bool {
	return field != "" && !strings.HasPrefix(field, "$") && !strings.ContainsAny(field, ".\x00")
}

// ginIndexFor builds the one index of a table over the given fields, in a fixed order.
func ginIndexFor(schema, table string, fields map[string]bool) ginIndex {
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	sort.Strings(names)
	cols := make([]string, len(names))
	for i, f := range names {
		cols[i] = fmt.Sprintf("(_jsonb->%s) jsonb_path_ops", quoteLiteral(f))
	}
	name := ginIndexName(table, names)
	sql := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s USING gin (%s)`,
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{schema, table}.Sanitize(), strings.Join(cols, ", "))
	return ginIndex{name: name, sql: sql}
}

// ginIndexName is deterministic and within PostgreSQL's 63 bytes: a readable
// prefix of the table and a hash of the table and its fields, so a table whose
// declared fields change gets a new index beside the old one.
func ginIndexName(table string, fields []string) string {
	sum := sha256.Sum256([]byte(table + "\x00" + strings.Join(fields, "\x00")))
	return fmt.Sprintf("%s_gin_%s", truncate(table, 40), hex.EncodeToString(sum[:6]))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func queryStrings(ctx context.Context, pool *pgxpool.Pool, q string, args ...any) ([]string, error) {
	rows, err := pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
