import { useEffect, useRef } from 'preact/hooks'
import type { Signal } from '@preact/signals'
import type { FloodState } from './flood-state.ts'
import { sortPoints } from './flood-state.ts'
import { ConnectionStatus } from './connection-status.tsx'
import { LazyMap } from './lazy-map.tsx'
import { PointCard, pointAnchor } from './point-card.tsx'
import { pt, publicLang, setPublicLang } from './citizens-lang.ts'
import { Warnings } from './warnings.tsx'
import { UnsubscribeBanner } from './follow.tsx'
import { unsubscribeFromQuery } from './follow-point.ts'
import { OfflineBanner } from './offline-banner.tsx'
import { LargeTextSwitch } from './large-text.tsx'
import { CameraSection, type PublicCamera } from './public-cameras.tsx'

/** Until the data names the city's zone (Tam Kỳ's, the default pack's). */
const FALLBACK_TIME_ZONE = 'Asia/Ho_Chi_Minh'

/** The point a shared link `/muc-nuoc/{id}` is about, or null on the page itself. */
export function pointFromPath(pathname: string): string | null {
  const match = /^\/muc-nuoc\/([^/]+)\/?$/.exec(pathname)
  if (!match?.[1]) return null
  try {
    return decodeURIComponent(match[1])
  } catch {
    return null
  }
}

interface CitizensAppProps {
  state: FloodState
  /** The cameras the city shows everyone; none until fetched, or for a city without public cameras. */
  cameras?: Signal<readonly PublicCamera[]>
  now: Signal<number>
  focusId: string | null
}

export function CitizensApp({ state, cameras, now, focusId }: CitizensAppProps) {
  const lang = publicLang.value
  const data = state.data.value
  const points = sortPoints(state.points.value)
  const timeZone = data?.city.timezone ?? FALLBACK_TIME_ZONE
  const focused = useRef(false)
  const unsubscribe = typeof location === 'undefined' ? null : unsubscribeFromQuery(location.search)

  // A shared link: once the points are there, bring its point into view and put the reader on it.
  useEffect(() => {
    if (focused.current || !focusId || points.length === 0) return
    focused.current = true
    const heading = document.getElementById(`${pointAnchor(focusId)}-name`)
    heading?.scrollIntoView({ block: 'start' })
    heading?.focus({ preventScroll: true })
  }, [focusId, points.length])

  return (
    <>
      <a class="skip-link" href="#points-title">
        {pt('points.title')}
      </a>
      <header class="pub-header">
        <div>
          {data && <p class="city">{data.city.name[lang]}</p>}
          <h1>{pt('page.title')}</h1>
        </div>
        <div class="header-switches">
          <LargeTextSwitch />
          <button type="button" class="lang-switch" lang={lang === 'vi' ? 'en' : 'vi'} onClick={() => setPublicLang(lang === 'vi' ? 'en' : 'vi')}>
            {pt('lang.switch')}
          </button>
        </div>
        <ConnectionStatus link={state.link.value} updatedAt={state.updatedAt.value} timeZone={timeZone} />
      </header>
      <main id="main">
        {data && state.unreachable.value && state.link.value !== 'live' && <OfflineBanner updatedAt={state.updatedAt.value} nowMs={now.value} timeZone={timeZone} />}
        {unsubscribe && <UnsubscribeBanner unsubscribe={unsubscribe} />}
        <p class="intro">{pt('page.intro')}</p>
        {!data && <p role="status">{state.loadFailed.value ? pt('load.failed') : pt('load.loading')}</p>}
        {data && <Warnings alarms={data.alarms} points={points} advice={data.advice} />}
        {data && <LazyMap points={points} />}
        {data && (
          <section aria-labelledby="points-title">
            <h2 id="points-title" tabIndex={-1}>
              {pt('points.title')}
            </h2>
            <ul class="points">
              {points.map((point) => (
                <li key={point.id}>
                  <PointCard point={point} nowMs={now.value} timeZone={timeZone} highlighted={point.id === focusId} />
                </li>
              ))}
            </ul>
          </section>
        )}
        {data && cameras && <CameraSection cameras={cameras.value} nowMs={now.value} timeZone={timeZone} />}
      </main>
      <footer class="pub-footer muted">{pt('footer.note')}</footer>
    </>
  )
}
