// Package e2e holds mallsync's end-to-end tests: a platform simulator, the in-process Temporal
// server, a worker with the real connectors and activities, and PostgreSQL, asserting that the
// database ends equal to the simulator's ground truth, also under injected faults and worker
// restarts. The package has no code of its own besides these tests.
package e2e
