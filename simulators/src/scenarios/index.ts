import { calmScenario } from './calm.ts'
import { DEFAULT_LOAD_COUNT, loadScenario } from './load.ts'
import type { ScenarioEntry } from './scenario.ts'
import { STORM_GAP_TICKS, STORM_TICKS, stormScenario } from './storm.ts'

const registry = {
  calm: {
    kind: 'ticks',
    summary: 'ordinary weather: levels in their typical range, the odd shower, cameras mostly online',
    flags: [],
    create: ({ seed }) => calmScenario(seed),
  },
  storm: {
    kind: 'ticks',
    summary: 'a flood: rain, streets flooding, rivers up through BĐ1–BĐ3 and back down, cameras faltering',
    flags: ['loop'],
    plan: ({ rate, loop }) => {
      const length = `one storm lasts ${STORM_TICKS} ticks (${duration(STORM_TICKS / rate)} at this rate)`
      return loop ? `${length}, then ${STORM_GAP_TICKS} calm ticks, and again` : `${length}, then calm weather until stopped`
    },
    create: ({ seed, loop }) => stormScenario(seed, loop),
  },
  load: {
    kind: 'burst',
    summary: `publish --count readings (default ${DEFAULT_LOAD_COUNT}) as fast as the broker acknowledges them`,
    flags: ['count'],
    plan: ({ count, stations }) => `${count} readings round-robin over ${stations} stations, as fast as the broker acknowledges them`,
    create: ({ seed, pack, count }) => loadScenario(seed, pack, count),
  },
} as const satisfies Record<string, ScenarioEntry>

function duration(seconds: number): string {
  return seconds >= 90 ? `${Math.round(seconds / 6) / 10} min` : `${Math.round(seconds * 10) / 10} s`
}

export type ScenarioName = keyof typeof registry

/**
 * Every scenario the simulators know, by name. The CLI lists and validates from this object, so a new
 * scenario (e.g. `sensor-fault`, `camera-outage`) is one entry here.
 */
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioEntry>> = registry

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[]

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name)
}
