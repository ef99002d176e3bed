import { signal } from '@preact/signals'
import type { CameraSnapshotEvent, PublicCamerasResponse } from '@ioc/shared'
import { clockTime, timeAgo } from '../i18n/time-ago.ts'
import { pt, publicLang } from './citizens-lang.ts'

export type PublicCamera = PublicCamerasResponse['cameras'][number]

export const PUBLIC_CAMERAS_URL = '/api/public/cameras'
/** The server's public pictures are at most this wide. */
const PICTURE_WIDTH = 640

/** The cameras the city shows everyone, with their latest picture's time; empty until fetched. */
export function createPublicCameras() {
  const cameras = signal<readonly PublicCamera[]>([])
  return {
    cameras,
    /** Fetched with the flood data (at start, after a reconnect, on each poll). */
    async refresh(): Promise<void> {
      const response = await fetch(PUBLIC_CAMERAS_URL, { credentials: 'omit', cache: 'no-cache', headers: { accept: 'application/json' } })
      if (!response.ok) throw new Error(`${PUBLIC_CAMERAS_URL} answered ${response.status}`)
      cameras.value = ((await response.json()) as PublicCamerasResponse).cameras
    },
    /** A `camera:snapshot` in the public room: that camera shows its new picture. */
    receive({ cameraId, ts, width, height }: CameraSnapshotEvent): void {
      cameras.value = cameras.value.map((camera) =>
        camera.id === cameraId && (!camera.latest || Date.parse(ts) > Date.parse(camera.latest.ts)) ? { ...camera, latest: { ts, width, height } } : camera,
      )
    },
  }
}

export type PublicCameras = ReturnType<typeof createPublicCameras>

/**
 * The public cameras' latest pictures, downscaled by the server, each with its time. The address
 * carries the picture's time, so a new picture is a new address and an unchanged one stays cached.
 */
export function CameraSection({ cameras, nowMs, timeZone }: { cameras: readonly PublicCamera[]; nowMs: number; timeZone: string }) {
  const lang = publicLang.value
  if (cameras.length === 0) return null
  return (
    <section aria-labelledby="cameras-title" data-testid="public-cameras">
      <h2 id="cameras-title">{pt('cameras.title')}</h2>
      <p class="muted">{pt('cameras.intro')}</p>
      <ul class="pub-cameras">
        {cameras.map((camera) => {
          const { latest } = camera
          const name = camera.name[lang]
          if (!latest) {
            return (
              <li key={camera.id} data-camera-id={camera.id}>
                <p class="pub-camera-name">{name}</p>
                <p class="muted">{pt('cameras.none')}</p>
              </li>
            )
          }
          const ms = Date.parse(latest.ts)
          const time = clockTime(ms, lang, timeZone)
          const width = Math.min(PICTURE_WIDTH, latest.width)
          return (
            <li key={camera.id} data-camera-id={camera.id}>
              <figure>
                <img
                  src={`/api/public/cameras/${encodeURIComponent(camera.id)}/latest.jpg?t=${ms}`}
                  loading="lazy"
                  width={width}
                  height={Math.round((width * latest.height) / latest.width)}
                  alt={pt('cameras.alt', { camera: name, time })}
                  data-snapshot-ts={latest.ts}
                />
                <figcaption>
                  <span class="pub-camera-name">{name}</span>
                  <span data-testid="public-camera-time">
                    {pt('cameras.at', { time })} · {timeAgo(ms, nowMs, lang, timeZone)}
                  </span>
                </figcaption>
              </figure>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
