// Package temporaldev runs a Temporal server inside the mallsync process, for `mallsync dev`,
// end-to-end tests and benchmarks. With a database path it keeps its state in a SQLite file, so
// a restarted `dev` finds its workflows where they were; without one it lives in memory.
//
// It is the only package that imports go.temporal.io/server, so only the binaries that run a
// dev server link it. The configuration follows the SDK's temporaltest lite server (which is
// internal to the server module): one history shard, SQLite persistence, all four services on
// loopback ports.
package temporaldev

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// Options configure a dev server.
type Options struct {
	// DBPath is the SQLite file that keeps the server's state; empty means in memory.
	DBPath string
	// Namespace is created at start (default "default").
	Namespace string
	// LogPath receives the server's own log at warn level; empty discards it.
	LogPath string
	// FrontendPort fixes the frontend's port; history, matching and worker take the next three
	// and their membership ports start at FrontendPort-300 (7233 → 6933, as Temporal's own
	// defaults). Zero picks free ports. A restarted server with a state file should keep its
	// ports: the cluster membership it recorded then names itself, and the services come up
	// at once instead of waiting for the old members to be declared dead.
	FrontendPort int
}

// Server is a running in-process Temporal server.
type Server struct {
	srv       temporal.Server
	hostPort  string
	namespace string
}

// Start starts a server and waits until its frontend answers.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	ports, err := freePorts(9)
	if err != nil {
		return nil, err
	}
	if p := opts.FrontendPort; p > 0 {
		ports = append([]int{p, p - 300, p + 1, p - 299, p + 2, p - 298, p + 3, p - 297}, ports[8])
	}
	sqlCfg := config.SQL{PluginName: sqliteplugin.PluginName, ConnectAttributes: map[string]string{}}
	if opts.DBPath == "" {
		sqlCfg.ConnectAttributes["mode"] = "memory"
		sqlCfg.ConnectAttributes["cache"] = "shared"
		sqlCfg.DatabaseName = fmt.Sprintf("mallsync-%d", rand.Int64())
	} else {
		sqlCfg.ConnectAttributes["mode"] = "rwc"
		sqlCfg.ConnectAttributes["_journal_mode"] = "WAL"
		sqlCfg.ConnectAttributes["_synchronous"] = "NORMAL"
		sqlCfg.DatabaseName = opts.DBPath
		if err := os.MkdirAll(filepath.Dir(opts.DBPath), 0o700); err != nil {
			return nil, fmt.Errorf("creating temporal data directory: %w", err)
		}
		if _, err := os.Stat(opts.DBPath); errors.Is(err, os.ErrNotExist) {
			if err := sqlite.SetupSchema(&sqlCfg); err != nil {
				return nil, fmt.Errorf("setting up temporal schema: %w", err)
			}
		}
	}
	ns, err := sqlite.NewNamespaceConfig("active", opts.Namespace, false, nil)
	if err != nil {
		return nil, fmt.Errorf("configuring namespace: %w", err)
	}
	if err := sqlite.CreateNamespaces(&sqlCfg, ns); err != nil {
		return nil, fmt.Errorf("creating namespace: %w", err)
	}

	frontend := fmt.Sprintf("127.0.0.1:%d", ports[0])
	svc := func(grpc, membership int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: grpc, MembershipPort: membership, BindOnIP: "127.0.0.1"}}
	}
	cfg := &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: "127.0.0.1"},
			Metrics: &metrics.Config{Prometheus: &metrics.PrometheusConfig{
				ListenAddress: fmt.Sprintf("127.0.0.1:%d", ports[8]), HandlerPath: "/metrics"}},
		},
		Persistence: config.Persistence{
			DefaultStore: sqliteplugin.PluginName, VisibilityStore: sqliteplugin.PluginName, NumHistoryShards: 1,
			DataStores: map[string]config.DataStore{sqliteplugin.PluginName: {SQL: &sqlCfg}},
		},
		ClusterMetadata: &cluster.Config{
			EnableGlobalNamespace: false, FailoverVersionIncrement: 10,
			MasterClusterName: "active", CurrentClusterName: "active",
			ClusterInformation: map[string]cluster.ClusterInformation{
				"active": {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontend},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services: map[string]config.Service{
			"frontend": svc(ports[0], ports[1]),
			"history":  svc(ports[2], ports[3]),
			"matching": svc(ports[4], ports[5]),
			"worker":   svc(ports[6], ports[7]),
		},
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		PublicClient: config.PublicClient{HostPort: frontend},
	}
	var logger log.Logger = log.NewNoopLogger()
	if opts.LogPath != "" {
		logger = log.NewZapLogger(log.BuildZapLogger(log.Config{Level: "warn", OutputFile: opts.LogPath}))
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): []dynamicconfig.ConstrainedValue{{Value: true}},
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("configuring temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("starting temporal server: %w", err)
	}
	s := &Server{srv: srv, hostPort: frontend, namespace: opts.Namespace}
	if err := s.waitReady(ctx); err != nil {
		_ = srv.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := s.Dial(ctx)
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("temporal server did not become ready: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// HostPort is the frontend's address.
func (s *Server) HostPort() string { return s.hostPort }

// Namespace is the namespace created at start.
func (s *Server) Namespace() string { return s.namespace }

// Dial returns a client of the server's namespace.
func (s *Server) Dial(ctx context.Context) (client.Client, error) {
	return client.DialContext(ctx, client.Options{HostPort: s.hostPort, Namespace: s.namespace, Logger: quietLogger{}})
}

// Stop shuts the server down.
func (s *Server) Stop() error { return s.srv.Stop() }

func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("finding a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
