import type { CameraStatusPayload, FloodReadingPayload } from '@ioc/shared'
import type { CameraValues, FloodValues } from './scenarios/scenario.ts'

/** A station's reading as published: the scenario's values, stamped with the wall clock. */
export function floodPayload(values: FloodValues, nowMs: number): FloodReadingPayload {
  return { ts: new Date(nowMs).toISOString(), ...values }
}

/**
 * A camera's status as published. The last frame's age, counted in ticks by the scenario, becomes a
 * time by the length of a tick at the run's rate.
 */
export function cameraPayload(values: CameraValues, nowMs: number, tickMs: number): CameraStatusPayload {
  const { lastFrameAgeTicks, ...status } = values
  const payload: CameraStatusPayload = { ts: new Date(nowMs).toISOString(), ...status }
  if (lastFrameAgeTicks !== undefined) payload.lastFrameAt = new Date(nowMs - lastFrameAgeTicks * tickMs).toISOString()
  return payload
}
