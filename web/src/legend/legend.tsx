import type { AreaFeature, CameraState } from '@ioc/shared'
import { cameraStateKey } from '../cameras/camera-state.ts'
import { lang, t } from '../i18n/lang.ts'
import { levelMessageKey, levelSlug, type StationLevel } from '../levels.ts'

const LEVELS: StationLevel[] = [3, 2, 1, 0, -1]
const CAMERA_STATES: Array<CameraState | 'unknown'> = ['online', 'degraded', 'offline', 'unknown']

/**
 * What the map's marks mean: alarm levels have their own legend (not the disaster-risk colours), a
 * cluster of stations, and the strong outline of the user's own area when the map is focused on one.
 */
export function Legend({ showCameras, focusArea = null }: { showCameras: boolean; focusArea?: AreaFeature | null }) {
  return (
    <details class="panel legend">
      <summary>
        <h2>{t('map.legend')}</h2>
      </summary>
      <h3>{t('map.stations')}</h3>
      <ul>
        {LEVELS.map((level) => (
          <li key={level}>
            <span class={`level-mark level-${levelSlug(level)}`} aria-hidden="true" />
            {t(levelMessageKey(level))}
          </li>
        ))}
        <li>
          <span class="cluster-mark level-3" aria-hidden="true">
            5
          </span>
          {t('map.cluster')}
        </li>
      </ul>
      {showCameras && (
        <>
          <h3>{t('map.cameras')}</h3>
          <ul>
            {CAMERA_STATES.map((state) => (
              <li key={state}>
                <span class={`camera-mark camera-${state}`} aria-hidden="true" />
                {t(cameraStateKey(state))}
              </li>
            ))}
          </ul>
        </>
      )}
      <ul>
        <li>
          <span class="boundary-mark" aria-hidden="true" />
          {t('map.approxBoundary')}
        </li>
        {focusArea && (
          <li>
            <span class="boundary-mark focus" aria-hidden="true" />
            {t('map.focusArea', { area: lang.value === 'vi' ? focusArea.properties.nameVi : focusArea.properties.nameEn })}
          </li>
        )}
      </ul>
    </details>
  )
}
