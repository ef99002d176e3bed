import type { CameraState } from '@ioc/shared'
import type { MessageKey } from '../i18n/messages.ts'

const STATE_TEXT: Record<CameraState | 'unknown', MessageKey> = {
  online: 'camera.online',
  degraded: 'camera.degraded',
  offline: 'camera.offline',
  unknown: 'camera.unknown',
}

/** The words for a camera state; `unknown` before the first report. */
export function cameraStateKey(state: CameraState | 'unknown'): MessageKey {
  return STATE_TEXT[state]
}
