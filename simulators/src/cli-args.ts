import { parseArgs } from 'node:util'
import { DEFAULT_LOAD_COUNT } from './scenarios/load.ts'
import { SCENARIOS, SCENARIO_NAMES, isScenarioName, type ScenarioName } from './scenarios/index.ts'
import { MAX_RATE } from './simulation.ts'

export const DEFAULT_URL = 'mqtt://127.0.0.1:1883'
export const DEFAULT_CITY = 'tam-ky'
/** A picture a minute per camera: enough to watch water rise, cheap to draw. */
export const DEFAULT_SNAPSHOT_EVERY_S = 60

/** Bad command line: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'run'; scenario: ScenarioName; url: string; rate: number; seed: number; loop: boolean; count: number; city: string; snapshotEverySeconds: number }

const OPTIONS = {
  url: { type: 'string' },
  rate: { type: 'string' },
  seed: { type: 'string' },
  loop: { type: 'boolean' },
  count: { type: 'string' },
  'snapshot-every': { type: 'string' },
  city: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export function usage(): string {
  const width = Math.max(...SCENARIO_NAMES.map((name) => name.length))
  const scenarios = SCENARIO_NAMES.map((name) => `  ${name.padEnd(width)}  ${SCENARIOS[name].summary}`).join('\n')
  return `Usage: pnpm sim <scenario> [options]

Simulated flood stations and road cameras publishing to an MQTT broker (QoS 1, topics ioc/v1/...).

Scenarios:
${scenarios}

Options:
  --url <url>    MQTT broker (default: $IOC_MQTT_URL, else ${DEFAULT_URL})
  --rate <n>     ticks per second; a tick is one reading per station (default 1, at most ${MAX_RATE})
  --seed <n>     seed of the simulated values: same seed, same values (default 1)
  --loop         storm: repeat the storm forever, with a calm gap between storms
                 sensor-fault, camera-outage: replay the faults, run after run
  --count <n>    load: readings to publish (default ${DEFAULT_LOAD_COUNT})
  --snapshot-every <s>
                 storm: seconds between two JPEG pictures from each camera, a staff
                 gauge with the water at the nearest station's level (default ${DEFAULT_SNAPSHOT_EVERY_S}; 0 for none)
  --city <id>    city pack id or pack folder (default: $IOC_CITY, else ${DEFAULT_CITY})
  -h, --help     show this help

Examples:
  pnpm sim storm --rate 20
  pnpm sim storm --loop --url mqtt://broker.example:1883
  pnpm sim load --count 50000
  pnpm sim sensor-fault --loop
  pnpm sim storm --snapshot-every 10

Readings and statuses carry the wall-clock time: alarms judged in minutes (silent stations, hold
times, rise per hour) see one tick as 1/rate s, so the fault scenarios are timed for the default rate.`
}

function numberOption(name: string, text: string | undefined, fallback: number, valid: (value: number) => boolean, expected: string): number {
  if (text === undefined) return fallback
  const value = text.trim() === '' ? Number.NaN : Number(text)
  if (!valid(value)) throw new UsageError(`--${name} must be ${expected}, got "${text}"`)
  return value
}

/**
 * Reads the command line (without `node` and the script). Throws a {@link UsageError} naming the
 * problem; the environment gives the defaults for `--url` (`IOC_MQTT_URL`) and `--city` (`IOC_CITY`).
 */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    const { code, message } = error as Error & { code?: string }
    const option = /'([^']+)'/.exec(message)?.[1]
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      throw new UsageError(`unknown option "${option}"; options are: ${Object.keys(OPTIONS).map((name) => `--${name}`).join(', ')}`)
    }
    throw new UsageError(message)
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }

  const [name, ...extra] = positionals
  if (name === undefined) throw new UsageError(`no scenario given; choose one of: ${SCENARIO_NAMES.join(', ')}`)
  if (!isScenarioName(name)) throw new UsageError(`unknown scenario "${name}"; choose one of: ${SCENARIO_NAMES.join(', ')}`)
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}": give one scenario, then options`)

  const accepted = SCENARIOS[name].flags
  for (const flag of ['loop', 'count', 'snapshot-every'] as const) {
    if (values[flag] !== undefined && !accepted.includes(flag)) {
      const users = SCENARIO_NAMES.filter((other) => SCENARIOS[other].flags.includes(flag))
      throw new UsageError(`--${flag} applies to ${users.join(', ')} only, not to ${name}`)
    }
  }

  const url = values.url ?? (env.IOC_MQTT_URL || DEFAULT_URL)
  if (!/^(mqtts?|wss?|tcp|tls|ssl):\/\/./.test(url)) throw new UsageError(`--url must be a broker URL such as ${DEFAULT_URL}, got "${url}"`)

  return {
    kind: 'run',
    scenario: name,
    url,
    rate: numberOption('rate', values.rate, 1, (v) => Number.isFinite(v) && v > 0 && v <= MAX_RATE, `a number of ticks per second above 0 and at most ${MAX_RATE}`),
    seed: numberOption('seed', values.seed, 1, (v) => Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff, 'an integer from 0 to 4294967295'),
    loop: values.loop ?? false,
    count: numberOption('count', values.count, DEFAULT_LOAD_COUNT, (v) => Number.isSafeInteger(v) && v >= 1, 'a positive integer'),
    city: values.city ?? (env.IOC_CITY || DEFAULT_CITY),
    snapshotEverySeconds: numberOption(
      'snapshot-every',
      values['snapshot-every'],
      DEFAULT_SNAPSHOT_EVERY_S,
      (v) => Number.isFinite(v) && v >= 0,
      'a number of seconds (0 for no pictures)',
    ),
  }
}
