import type { LinkState } from './flood-state.ts'
import type { PublicMessageKey } from './messages.ts'
import { pt, publicLang } from './citizens-lang.ts'
import { clockTime } from '../i18n/time-ago.ts'

const WORDS: Record<LinkState, PublicMessageKey> = { connecting: 'conn.connecting', live: 'conn.live', offline: 'conn.offline' }

/** The link's state in words (a polite status region) and when the data was last heard of. */
export function ConnectionStatus({ link, updatedAt, timeZone }: { link: LinkState; updatedAt: number | null; timeZone: string }) {
  return (
    <div class={`connection conn-${link}`} data-testid="connection" data-state={link}>
      <span class="conn-dot" aria-hidden="true" />
      <span role="status">{pt(WORDS[link])}</span>
      <span class="conn-updated">{updatedAt === null ? pt('conn.notYet') : pt('conn.updatedAt', { time: clockTime(updatedAt, publicLang.value, timeZone) })}</span>
    </div>
  )
}
