#!/usr/bin/env tsx
/**
 * `pnpm sim <scenario>`: runs one simulator against any broker until it is done (load) or stopped
 * (Ctrl-C / SIGTERM). Exit codes: 0 done, 1 the run failed (e.g. broker unreachable), 2 bad command line.
 */
import { CityPackError } from '@ioc/shared/city-packs'
import { resolveCityPack } from '@ioc/shared/city-packs/node'
import { UsageError, parseCli, usage } from './cli-args.ts'
import { redactUrl } from './mqtt-publisher.ts'
import { SCENARIOS } from './scenarios/index.ts'
import { startSimulation, type Simulation } from './simulation.ts'

const EXIT_FAILED = 1
const EXIT_USAGE = 2
/** Conventional code for a process ended by a second Ctrl-C. */
const EXIT_INTERRUPTED = 130

function log(line: string): void {
  const time = new Date().toLocaleTimeString('en-GB', { hour12: false })
  console.log(`[${time}] ${line}`)
}

async function main(): Promise<number> {
  let command
  let pack
  try {
    command = parseCli(process.argv.slice(2), process.env)
    if (command.kind === 'help') {
      console.log(usage())
      return 0
    }
    pack = resolveCityPack(command.city)
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof CityPackError)) throw error
    console.error(`pnpm sim: ${error.message}\n\nRun "pnpm sim --help" for scenarios and options.`)
    return EXIT_USAGE
  }

  const { scenario, url, rate, seed, loop, count, snapshotEverySeconds } = command
  const entry = SCENARIOS[scenario]
  console.log(`${scenario}: ${entry.summary}`)
  console.log(
    `  broker ${redactUrl(url)} · ${entry.kind === 'ticks' ? `${rate} tick/s · ` : ''}seed ${seed} · city ${pack.city.id} (${pack.stations.length} stations, ${pack.cameras.length} cameras)`,
  )
  const plan = entry.plan?.({ rate, loop, count, stations: pack.stations.length })
  if (plan) console.log(`  ${plan}`)
  console.log(entry.kind === 'ticks' ? '  Ctrl-C to stop' : '  Ctrl-C to stop early')

  // Handlers go in before connecting: a signal with no handler would kill the process outright.
  let simulation: Simulation | undefined
  let interrupted = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(EXIT_INTERRUPTED)
    interrupted = true
    log(`${signal}: stopping (again to quit at once)`)
    void simulation?.stop()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    simulation = await startSimulation({ url, scenario, pack, seed, rate, loop, count, snapshotEverySeconds, log })
    if (interrupted) void simulation.stop()
    await simulation.done
  } catch (error) {
    console.error(`pnpm sim: ${(error as Error).message}`)
    return EXIT_FAILED
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  log(`done: ${simulation.published} messages acknowledged by the broker`)
  return 0
}

process.exitCode = await main()
