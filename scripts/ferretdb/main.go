// Command switchyard-ferretdb runs FerretDB as an embedded library, on its
// PostgreSQL backend (the default of the embedded stack) or its SQLite one.
// The upstream `cmd/ferretdb` cannot be built by `go install` because it
// needs generated version files, so the project builds this instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	backend := flag.String("backend", "sqlite", "storage backend: sqlite or postgresql")
	dataDir := flag.String("data-dir", "", "directory for the SQLite databases (required with -backend sqlite)")
	pgURL := flag.String("postgresql-url", "", "PostgreSQL connection URL (required with -backend postgresql), e.g. postgres://postgres@127.0.0.1:5432/ferretdb?plan_cache_mode=force_custom_plan")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	idPathIndex := flag.Bool("id-path-index", true, "sqlite: index the expression FerretDB's _id pushdown queries (see id_index.go)")
	ginIndex := flag.Bool("gin-index", true, "postgresql: GIN expression indexes for FerretDB's equality pushdown (see pg_index.go)")
	logDuplicates := flag.Bool("log-duplicate-keys", false, "keep the ERROR line pgx logs for every unique violation (see quiet_log.go)")
	vacuum := flag.Bool("vacuum", false, "postgresql: vacuum and analyze the database at -postgresql-url, then exit (see vacuum.go)")
	flag.Parse()

	if *vacuum {
		if *pgURL == "" {
			fmt.Fprintln(os.Stderr, "switchyard-ferretdb: -postgresql-url is required with -vacuum")
			os.Exit(2)
		}
		vacuumAnalyze(*pgURL)
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "switchyard-ferretdb: bad -log-level: %v\n", err)
		os.Exit(2)
	}
	var handler slog.Handler = slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})
	if !*logDuplicates {
		handler = dropDuplicateKeyErrors{handler}
	}
	logger := slog.New(handler)

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  *backend,
	}
	var where string
	switch *backend {
	case "sqlite":
		if *dataDir == "" {
			fmt.Fprintln(os.Stderr, "switchyard-ferretdb: -data-dir is required with -backend sqlite")
			os.Exit(2)
		}
		abs, err := filepath.Abs(*dataDir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "switchyard-ferretdb: %v\n", err)
			os.Exit(2)
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "switchyard-ferretdb: cannot create data dir: %v\n", err)
			os.Exit(2)
		}
		config.SQLiteURL = "file:" + abs + "/"
		*dataDir = abs
		where = "data in " + abs
	case "postgresql":
		if *pgURL == "" {
			fmt.Fprintln(os.Stderr, "switchyard-ferretdb: -postgresql-url is required with -backend postgresql")
			os.Exit(2)
		}
		config.PostgreSQLURL = *pgURL
		where = "on PostgreSQL"
	default:
		fmt.Fprintf(os.Stderr, "switchyard-ferretdb: -backend must be sqlite or postgresql, not %q\n", *backend)
		os.Exit(2)
	}

	// The embedded package never starts telemetry or the debug HTTP listener:
	// both live only in upstream's cmd/ferretdb.
	f, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "switchyard-ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	go func() {
		// Printed once the listener is up so parent processes can wait on it.
		fmt.Printf("switchyard-ferretdb listening on %s, %s\n", f.MongoDBURI(), where)
	}()
	switch {
	case *backend == "sqlite" && *idPathIndex:
		go maintainIDPathIndexes(ctx, *dataDir, 500*time.Millisecond, logger)
	case *backend == "postgresql" && *ginIndex:
		go maintainGINIndexes(ctx, *pgURL, 500*time.Millisecond, logger)
	}
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "switchyard-ferretdb: %v\n", err)
		os.Exit(1)
	}
}
