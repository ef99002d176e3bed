import type { CameraView } from '@ioc/shared'
import { lang, t } from '../i18n/lang.ts'
import { LOCALE, localized } from '../i18n/translate.ts'
import type { Selection } from '../store.ts'
import { cameraStateKey } from './camera-state.ts'

interface CameraListProps {
  cameras: readonly CameraView[]
  selection: Selection
  onSelect: (id: string) => void
  /** A camera's button took focus (its id) or lost it (null): the map shows its thumbnail meanwhile. */
  onPreview?: (id: string | null) => void
}

/** Cameras by name, with their state in words; folded by default, the stations come first. */
export function CameraList({ cameras, selection, onSelect, onPreview }: CameraListProps) {
  const current = lang.value
  if (cameras.length === 0) return null
  const collator = new Intl.Collator(LOCALE[current])
  const sorted = [...cameras].sort((a, b) => collator.compare(localized(a.name, current), localized(b.name, current)))
  return (
    <details class="panel camera-list">
      <summary>
        <h2>
          {t('cameras.title')} <span class="muted">({cameras.length})</span>
        </h2>
      </summary>
      <ul>
        {sorted.map((camera) => {
          const state = camera.latest?.state ?? 'unknown'
          const selected = selection?.kind === 'camera' && selection.id === camera.id
          return (
            <li key={camera.id} data-camera-id={camera.id} data-state={state}>
              <button
                type="button"
                aria-current={selected ? 'true' : undefined}
                onClick={() => onSelect(camera.id)}
                onFocus={() => onPreview?.(camera.id)}
                onBlur={() => onPreview?.(null)}
              >
                <span class={`camera-mark camera-${state}`} aria-hidden="true" />
                <span class="item-name">{localized(camera.name, current)}</span>
                <span class="item-state">{t(cameraStateKey(state))}</span>
              </button>
            </li>
          )
        })}
      </ul>
    </details>
  )
}
