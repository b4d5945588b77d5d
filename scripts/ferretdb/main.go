// Command switchyard-ferretdb runs FerretDB (SQLite backend) as an embedded
// library. The upstream `cmd/ferretdb` cannot be built by `go install` because
// it needs generated version files, so the project builds this instead.
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
	dataDir := flag.String("data-dir", "", "directory for the SQLite databases (required)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	idPathIndex := flag.Bool("id-path-index", true, "index the expression FerretDB's _id pushdown queries (see id_index.go)")
	flag.Parse()

	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "switchyard-ferretdb: -data-dir is required")
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

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "switchyard-ferretdb: bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// The embedded package never starts telemetry or the debug HTTP listener:
	// both live only in upstream's cmd/ferretdb.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "switchyard-ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	go func() {
		// Printed once the listener is up so parent processes can wait on it.
		fmt.Printf("switchyard-ferretdb listening on %s, data in %s\n", f.MongoDBURI(), abs)
	}()
	if *idPathIndex {
		go maintainIDPathIndexes(ctx, abs, 500*time.Millisecond, logger)
	}
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "switchyard-ferretdb: %v\n", err)
		os.Exit(1)
	}
}
