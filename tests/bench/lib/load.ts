import { spawnTs, stopProcess, waitForLine } from '../../helpers/processes.ts'

/**
 * `count` QoS 1 readings from the pack's stations, as fast as the broker acknowledges them, over
 * `connections` MQTT connections (sensors in the field each have their own); the `load` scenario of
 * the simulators, run in a child process.
 */
export async function runLoad(url: string, packDir: string, count: number, timeoutMs: number, connections = 10): Promise<void> {
  const child = spawnTs('tests/bench/lib/publishers.ts', { URL: url, PACK: packDir, COUNT: String(count), CONNECTIONS: String(connections) })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const timer = setTimeout(() => void stopProcess(child), timeoutMs)
  const code = await exited
  clearTimeout(timer)
  if (code !== 0) throw new Error(`the load publishers exited with ${code}`)
}

/** `pnpm sim calm` at `ticksPerSecond` (one reading per station per tick) until stopped. */
export async function startSteadyLoad(url: string, packDir: string, ticksPerSecond: number) {
  const child = spawnTs('simulators/src/cli.ts', {}, ['calm', '--url', url, '--city', packDir, '--rate', String(ticksPerSecond)])
  await waitForLine(child, /Ctrl-C to stop/)
  return { stop: () => stopProcess(child) }
}
