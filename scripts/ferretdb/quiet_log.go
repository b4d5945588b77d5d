package main

// On PostgreSQL, FerretDB logs every failed statement at ERROR through pgx's
// tracer, with the statement's arguments (the whole document being inserted).
// switchyard makes unique-key inserts fail on purpose: caps, rotation turns and
// every idempotency guard are "insert under a deterministic key, a duplicate
// means someone else got there first". Those failures would be most of the
// log, would carry lead data, and in a long run would fill the disk, so this
// handler drops exactly those records (SQLSTATE 23505, unique_violation); the
// client still gets its E11000, and every other SQL error is still logged.

import (
	"context"
	"errors"
	"log/slog"

	"github.com/jackc/pgx/v5/pgconn"
)

type dropDuplicateKeyErrors struct{ slog.Handler }

func (h dropDuplicateKeyErrors) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError && isUniqueViolation(r) {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h dropDuplicateKeyErrors) WithAttrs(attrs []slog.Attr) slog.Handler {
	return dropDuplicateKeyErrors{h.Handler.WithAttrs(attrs)}
}

func (h dropDuplicateKeyErrors) WithGroup(name string) slog.Handler {
	return dropDuplicateKeyErrors{h.Handler.WithGroup(name)}
}

func isUniqueViolation(r slog.Record) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		if err, ok := a.Value.Any().(error); ok {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23505" {
				found = true
				return false
			}
		}
		return true
	})
	return found
}
