import Type, { type Static } from 'typebox'
import { DeviceTimestamp } from './common.ts'

export const CameraState = { online: 'online', offline: 'offline', degraded: 'degraded' } as const
export type CameraState = (typeof CameraState)[keyof typeof CameraState]

const CameraStateSchema = Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('degraded')])
// One range per field, shared by the payload a camera sends and the status the server keeps.
const Fps = Type.Number({ minimum: 0, maximum: 240 })
const BitrateKbps = Type.Number({ minimum: 0, maximum: 1_000_000 })

/** Payload a camera (or its NVR) publishes on `ioc/v1/camera/{cameraId}/status`. */
export const CameraStatusPayload = Type.Object({
  ts: DeviceTimestamp,
  state: CameraStateSchema,
  fps: Type.Optional(Fps),
  bitrateKbps: Type.Optional(BitrateKbps),
  lastFrameAt: Type.Optional(Type.String({ format: 'date-time' })),
  tamper: Type.Optional(Type.Boolean()),
})
export type CameraStatusPayload = Static<typeof CameraStatusPayload>

export const CameraStatus = Type.Object({
  cameraId: Type.String(),
  ts: Type.String({ format: 'date-time' }),
  state: CameraStateSchema,
  fps: Type.Optional(Fps),
  bitrateKbps: Type.Optional(BitrateKbps),
  lastFrameAt: Type.Optional(Type.String({ format: 'date-time' })),
  tamper: Type.Optional(Type.Boolean()),
})
export type CameraStatus = Static<typeof CameraStatus>
