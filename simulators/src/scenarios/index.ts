import { calmScenario } from './calm.ts'
import { CAMERA_OUTAGE_TICKS, cameraOutageScenario } from './camera-outage.ts'
import { DEFAULT_LOAD_COUNT, loadScenario } from './load.ts'
import type { ScenarioEntry } from './scenario.ts'
import { DROPOUT, SENSOR_FAULT_TICKS, sensorFaultScenario } from './sensor-fault.ts'
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
    flags: ['loop', 'snapshot-every'],
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
  'sensor-fault': {
    kind: 'ticks',
    summary: 'faulty stations on a calm day: a stuck value, spikes, a dropout, a rapid rise, a battery running low',
    flags: ['loop'],
    plan: ({ rate, loop }) => {
      const silent = DROPOUT.until - DROPOUT.from
      const length = `one run lasts ${SENSOR_FAULT_TICKS} ticks (${duration(SENSOR_FAULT_TICKS / rate)} at this rate)`
      const dropout = `a station is silent for ${silent} ticks (${duration(silent / rate)} of real time, which is what the silent alarm counts)`
      return `${length}, ${loop ? 'and again' : 'then calm weather until stopped'}; ${dropout}`
    },
    create: ({ seed, pack, loop }) => sensorFaultScenario(seed, pack, loop),
  },
  'camera-outage': {
    kind: 'ticks',
    summary: 'camera faults on a calm day: offline, back degraded, tampered, flapping, then all recovered',
    flags: ['loop'],
    plan: ({ rate, loop }) => {
      const length = `one run lasts ${CAMERA_OUTAGE_TICKS} ticks (${duration(CAMERA_OUTAGE_TICKS / rate)} at this rate)`
      return loop ? `${length}, and again` : `${length}, then every camera online until stopped`
    },
    create: ({ seed, pack, loop }) => cameraOutageScenario(seed, pack, loop),
  },
} as const satisfies Record<string, ScenarioEntry>

function duration(seconds: number): string {
  return seconds >= 90 ? `${Math.round(seconds / 6) / 10} min` : `${Math.round(seconds * 10) / 10} s`
}

export type ScenarioName = keyof typeof registry

/**
 * Every scenario the simulators know, by name. The CLI lists and validates from this object, so a new
 * scenario is one entry here.
 */
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioEntry>> = registry

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[]

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name)
}
