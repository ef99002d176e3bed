import { useEffect, useState } from 'preact/hooks'
import { t } from '../i18n/lang.ts'
import { LoadError } from '../ui/load-error.tsx'
import type { IndicatorsPage as IndicatorsPageComponent, IndicatorsPageProps } from './indicators-page.tsx'

let pageModule: Promise<typeof IndicatorsPageComponent> | null = null

/** The indicator view, loaded on first use: the flood map's first paint does not wait for it. */
function loadIndicatorsPage(): Promise<typeof IndicatorsPageComponent> {
  pageModule ??= import('./indicators-page.tsx').then(
    (module) => module.IndicatorsPage,
    (error: unknown) => {
      // A failed download is tried again on the next retry.
      pageModule = null
      throw error
    },
  )
  return pageModule
}

export function LazyIndicatorsPage(props: IndicatorsPageProps) {
  const [Page, setPage] = useState<typeof IndicatorsPageComponent | null>(null)
  const [failed, setFailed] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    let current = true
    loadIndicatorsPage().then(
      (loaded) => current && setPage(() => loaded),
      () => current && setFailed(true),
    )
    return () => {
      current = false
    }
  }, [attempt])
  if (Page) return <Page {...props} />
  if (failed) {
    return (
      <LoadError
        failure={{ kind: 'network', path: 'indicators' }}
        onRetry={() => {
          setFailed(false)
          setAttempt((n) => n + 1)
        }}
      />
    )
  }
  return (
    <div class="state-message" role="status" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      {t('indicators.loading')}
    </div>
  )
}
