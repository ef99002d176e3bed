import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { MessageKey } from '../i18n/messages.ts'
import { t } from '../i18n/lang.ts'
import { LoadError } from './load-error.tsx'
import { loadOnce } from './load-once.ts'

/**
 * A screen in a chunk of its own, fetched the first time it is shown: a loading state meanwhile,
 * and a retry when the download failed (`path` names it in the error).
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>, options: { path: string; loading: MessageKey }): ComponentType<P> {
  const loadPage = loadOnce(load)
  return function LazyPage(props: P) {
    const [Page, setPage] = useState<ComponentType<P> | null>(null)
    const [failed, setFailed] = useState(false)
    const [attempt, setAttempt] = useState(0)
    useEffect(() => {
      let current = true
      loadPage().then(
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
          failure={{ kind: 'network', path: options.path }}
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
        {t(options.loading)}
      </div>
    )
  }
}
