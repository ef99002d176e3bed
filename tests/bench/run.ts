/** `pnpm bench` — the benchmark suite arrives with issue #3. */
console.log('pnpm bench: not yet — the benchmarks arrive with issue #3 (ingest throughput, latency, fan-out memory, history, web).')
