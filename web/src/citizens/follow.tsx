import { useState } from 'preact/hooks'
import { pt, publicLang } from './citizens-lang.ts'
import { canFollow, FollowError, followPoint, following, unfollow } from './follow-point.ts'
import type { PublicMessageKey } from './messages.ts'

/** On a point's card: be told on this phone when its level crosses BĐ1, BĐ2 or BĐ3 — or stop. */
export function FollowButton({ stationId }: { stationId: string }) {
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<PublicMessageKey | null>(null)
  if (!canFollow()) return null
  const mine = following.value?.stationId === stationId
  const act = async () => {
    setPending(true)
    setProblem(null)
    try {
      if (mine) await unfollow(following.value!.unsubscribe)
      else await followPoint(stationId, publicLang.value)
    } catch (error) {
      setProblem(error instanceof FollowError ? error.key : 'follow.failed')
    } finally {
      setPending(false)
    }
  }
  return (
    <div class="follow">
      {mine && <p class="follow-on">{pt('follow.on')}</p>}
      <button type="button" class="follow-button" disabled={pending} aria-busy={pending} onClick={() => void act()}>
        {pt(pending ? 'follow.working' : mine ? 'follow.stop' : 'follow.start')}
      </button>
      {problem && (
        <p class="follow-problem" role="alert">
          {pt(problem)}
        </p>
      )}
    </div>
  )
}

/** Opened from a message's "unsubscribe": ask, then end it. */
export function UnsubscribeBanner({ unsubscribe }: { unsubscribe: string }) {
  const [state, setState] = useState<'ask' | 'pending' | 'done' | 'gone' | 'failed'>('ask')
  const act = async () => {
    setState('pending')
    try {
      setState((await unfollow(unsubscribe)) ? 'done' : 'gone')
    } catch {
      setState('failed')
    }
  }
  return (
    <section class="unsubscribe" aria-live="polite" data-testid="unsubscribe">
      {state === 'done' || state === 'gone' ? (
        <p role="status">{pt(state === 'done' ? 'unsubscribe.done' : 'unsubscribe.gone')}</p>
      ) : (
        <>
          <p>{pt('unsubscribe.ask')}</p>
          <button type="button" disabled={state === 'pending'} onClick={() => void act()}>
            {pt('unsubscribe.confirm')}
          </button>
          {state === 'failed' && <p role="alert">{pt('follow.failed')}</p>}
        </>
      )}
    </section>
  )
}
