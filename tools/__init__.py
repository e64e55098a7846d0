"""Developer tools outside the runtime: benchmarks, load test, browser driver, audit, servers."""
