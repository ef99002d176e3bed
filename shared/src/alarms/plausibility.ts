import Type, { type Static } from 'typebox'
import type { StationDef } from '../city-packs/city-pack.schema.ts'
import { DEFAULT_MAX_CHANGE_CM_PER_MINUTE } from './station-settings-rules.ts'

/*
 * Plausibility before paging (issue #18). A gauge's typical fault is one reading far off the truth —
 * a bird or a leaf on an ultrasonic sensor, a loose wire, a car under a street sensor — and the
 * flood-level rule raises at once, so one such reading would page the city. A reading that jumps
 * further than the water can move is therefore held as *suspect*: it pages no one until the next
 * reading confirms it. Pure and shared: the alarm engine judges with it, and the simulators' tests
 * check their faults against the same rule.
 */

/** A reading as the judgement sees it: when (epoch ms, reading time) and how high (cm). */
export interface LevelPoint {
  ts: number
  cm: number
}

/** What a city pack says a station's water can move in a minute: its own `maxChangeCmPerMinute`, or the default. */
export function packMaxChangeCmPerMinute(station: Pick<StationDef, 'maxChangeCmPerMinute'>): number {
  return station.maxChangeCmPerMinute ?? DEFAULT_MAX_CHANGE_CM_PER_MINUTE
}

/**
 * How far the water may move between a reading at `fromTs` and one at `toTs`, in cm: the station's
 * `maxChangeCmPerMinute` × the minutes between them, counted as at least one expected interval.
 *
 * Per minute and scaled by the time between the two, rather than a fixed step per reading: after a
 * dropout of an hour the river may really have moved an hour's worth, and a reading that comes late is
 * judged as fairly as one on time. At least one interval, because a sensor's noise does not shrink with
 * the time between readings: a station reporting every second (a gateway's backlog, a sensor set too
 * fast) would otherwise have every wobble of a few millimetres judged suspect.
 */
export function plausibleChangeCm(maxChangeCmPerMinute: number, expectedIntervalS: number, fromTs: number, toTs: number): number {
  return (maxChangeCmPerMinute * Math.max(toTs - fromTs, expectedIntervalS * 1000)) / 60_000
}

export interface PlausibilityState {
  /** The newest reading the alarm logic took: what the next one is judged against. Null before the first. */
  accepted: LevelPoint | null
  /** A suspect reading waiting for the next one, which confirms it or shows it a glitch. */
  pending: LevelPoint | null
}

export const NO_READING: PlausibilityState = { accepted: null, pending: null }

export interface Judgement {
  state: PlausibilityState
  /** Whether this reading is suspect: it goes to no alarm unless the next reading confirms it. */
  suspect: boolean
  /** What the alarm logic takes now, oldest first: nothing, this reading, or the suspect reading it confirmed and then it. */
  take: LevelPoint[]
  /** The suspect reading this one confirmed: the water did jump. */
  confirmed: LevelPoint | null
  /** The suspect reading this one showed to be a glitch: it is never taken. */
  dropped: LevelPoint | null
}

/** Whether `to` is within the plausible change of `from`. */
function reaches(from: LevelPoint, to: LevelPoint, limit: (from: LevelPoint, to: LevelPoint) => number): boolean {
  return Math.abs(to.cm - from.cm) <= limit(from, to)
}

/**
 * Judges `reading` (newer than every reading judged before) against the last reading taken and the
 * suspect one waiting, if any. `limit(from, to)` is how far the water may move from `from` to `to`
 * (`plausibleChangeCm` with the station's settings).
 *
 * 1. Within the limit of the last reading taken — or the station's first reading, with nothing to
 *    judge it by: taken. A suspect reading waiting was a glitch, the water being where it was: dropped.
 *    This comes first so that a lone spike of any size, followed by a reading back where the water was,
 *    is never taken — even a spike so small that the reading after it is within reach of it too.
 * 2. Within the limit of the suspect reading waiting: that one is confirmed, the water did jump, and
 *    both are taken, in order, now — a real fast rise raises its alarm on the confirming reading.
 * 3. Otherwise: suspect, waiting in place of any earlier suspect one (two jumps that disagree: the
 *    earlier is dropped).
 */
export function judgeReading(state: PlausibilityState, reading: LevelPoint, limit: (from: LevelPoint, to: LevelPoint) => number): Judgement {
  const { accepted, pending } = state
  if (accepted === null || reaches(accepted, reading, limit)) {
    return { state: { accepted: reading, pending: null }, suspect: false, take: [reading], confirmed: null, dropped: pending }
  }
  if (pending !== null && reaches(pending, reading, limit)) {
    return { state: { accepted: reading, pending: null }, suspect: false, take: [pending, reading], confirmed: pending, dropped: null }
  }
  return { state: { accepted, pending: reading }, suspect: true, take: [], confirmed: null, dropped: pending }
}

/**
 * `reading:suspect`: the alarm engine's verdict on a stored reading, when it is not simply taken —
 * held as suspect (`suspect: true`), or confirmed by the next reading after all (`suspect: false`). A
 * suspect reading that turns out a glitch stays suspect: nothing more is sent about it.
 */
export const ReadingVerdict = Type.Object({
  stationId: Type.String(),
  /** The reading's own time, as in `reading:new`. */
  ts: Type.String({ format: 'date-time' }),
  suspect: Type.Boolean(),
})
export type ReadingVerdict = Static<typeof ReadingVerdict>
