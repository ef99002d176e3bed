import type { AreaCollection, CameraView, SnapshotInfo } from '@ioc/shared'
import { areaName } from '../city.ts'
import { formatDateTime, formatQuantity } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { formatRelative } from '../i18n/relative-time.ts'
import { localized } from '../i18n/translate.ts'
import { DetailHeader } from '../station-detail/detail-header.tsx'
import { CameraPictures } from './camera-pictures.tsx'
import { cameraStateKey } from './camera-state.ts'

interface CameraDetailProps {
  camera: CameraView
  /** Its newest snapshot, kept live by the store. */
  snapshot: SnapshotInfo | null
  areas: AreaCollection | null
  timeZone: string
  now: number
  onClose: () => void
}

function When({ iso, timeZone, now }: { iso: string; timeZone: string; now: number }) {
  const current = lang.value
  return (
    <>
      <time dateTime={iso}>{formatDateTime(iso, current, timeZone)}</time>
      <span class="muted"> · {formatRelative(Date.parse(iso), now, current)}</span>
    </>
  )
}

/** Side panel of one camera: its latest picture, and its health as the NVR last reported it. */
export function CameraDetail({ camera, snapshot, areas, timeZone, now, onClose }: CameraDetailProps) {
  const current = lang.value
  const status = camera.latest
  const state = status?.state ?? 'unknown'
  return (
    <section class="panel detail" data-testid="camera-detail" data-detail-id={camera.id} data-state={state} aria-labelledby="detail-title">
      <DetailHeader title={localized(camera.name, current)} onClose={onClose} />
      <p class={`camera-banner camera-${state}`}>
        <span class={`camera-mark camera-${state}`} aria-hidden="true" />
        {t(cameraStateKey(state))}
      </p>
      <CameraPictures cameraId={camera.id} cameraName={localized(camera.name, current)} latest={snapshot} now={now} timeZone={timeZone} />
      <dl class="facts">
        <dt>{t('camera.road')}</dt>
        <dd>
          {camera.road}
          {camera.approximateLocation && <span class="tag">{t('detail.approxLocation')}</span>}
        </dd>
        <dt>{t('detail.area')}</dt>
        <dd>{areaName(areas, camera.areaCode, current)}</dd>
        {status ? (
          <>
            <dt>{t('camera.lastStatus')}</dt>
            <dd>
              <When iso={status.ts} timeZone={timeZone} now={now} />
            </dd>
            {status.fps !== undefined && (
              <>
                <dt>{t('camera.fps')}</dt>
                <dd>{formatQuantity(status.fps, 'fps', current)}</dd>
              </>
            )}
            {status.bitrateKbps !== undefined && (
              <>
                <dt>{t('camera.bitrate')}</dt>
                <dd>{formatQuantity(status.bitrateKbps, 'kbps', current)}</dd>
              </>
            )}
            {status.lastFrameAt !== undefined && (
              <>
                <dt>{t('camera.lastFrame')}</dt>
                <dd>
                  <When iso={status.lastFrameAt} timeZone={timeZone} now={now} />
                </dd>
              </>
            )}
            {status.tamper !== undefined && (
              <>
                <dt>{t('camera.tamper')}</dt>
                <dd class={status.tamper ? 'warning' : undefined}>{t(status.tamper ? 'camera.tamperYes' : 'camera.tamperNo')}</dd>
              </>
            )}
          </>
        ) : (
          <>
            <dt>{t('camera.state')}</dt>
            <dd>{t('camera.noStatus')}</dd>
          </>
        )}
      </dl>
    </section>
  )
}
