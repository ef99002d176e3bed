import { useEffect, useRef, useState } from 'preact/hooks'
import type { LivePoint } from './flood-state.ts'
import type { FloodMap } from './flood-map.ts'
import { pt, publicLang } from './citizens-lang.ts'

type MapStatus = 'hidden' | 'loading' | 'shown' | 'failed'

/** "Xem bản đồ": MapLibre (a large download) is fetched only when this button is pressed. */
export function LazyMap({ points }: { points: LivePoint[] }) {
  const [status, setStatus] = useState<MapStatus>('hidden')
  const container = useRef<HTMLDivElement>(null)
  const map = useRef<FloodMap | null>(null)
  const lang = publicLang.value

  useEffect(() => {
    if (status !== 'loading') return
    let cancelled = false
    // The basemap is asked for while MapLibre downloads; one that fails leaves the plain background.
    Promise.all([import('./flood-map.ts'), import('../map/basemap.ts').then(({ loadBasemap }) => loadBasemap())])
      .then(([{ mountFloodMap }, basemap]) => {
        if (cancelled || !container.current) return
        map.current = mountFloodMap(container.current, points, publicLang.peek(), basemap)
        setStatus('shown')
      })
      .catch((error: unknown) => {
        console.warn('could not load the map', error)
        if (!cancelled) setStatus('failed')
      })
    return () => {
      cancelled = true
    }
    // The map is made once per showing; later points go through update() below.
  }, [status])

  useEffect(() => map.current?.update(points, lang), [points, lang])
  useEffect(() => () => map.current?.remove(), [])

  const shown = status === 'loading' || status === 'shown'
  const toggle = () => {
    if (shown) {
      map.current?.remove()
      map.current = null
      setStatus('hidden')
    } else setStatus('loading')
  }
  return (
    <section class="map-section">
      <button type="button" class="map-toggle" aria-expanded={shown} aria-controls="flood-map" onClick={toggle}>
        {pt(shown ? 'map.hide' : 'map.show')}
      </button>
      {status === 'loading' && <p role="status">{pt('map.loading')}</p>}
      {status === 'failed' && <p role="alert">{pt('map.failed')}</p>}
      <div id="flood-map" class="flood-map" ref={container} hidden={!shown} />
      {shown && <p class="muted map-note">{pt('map.note')}</p>}
    </section>
  )
}
