import { signal } from '@preact/signals'
import { render } from 'preact'
import { createFloodState } from './flood-state.ts'
import { CitizensApp, pointFromPath } from './citizens-app.tsx'
import { syncHtmlLang } from './citizens-lang.ts'
import { startCitizensLive } from './citizens-live.ts'
import './citizens.css'

/** "3 phút trước" is re-worded this often. */
const CLOCK_TICK_MS = 15_000

syncHtmlLang()

const state = createFloodState()
const now = signal(Date.now())
setInterval(() => (now.value = Date.now()), CLOCK_TICK_MS)
startCitizensLive(state)

const root = document.getElementById('app')
if (!root) throw new Error('#app is missing from public.html')
render(<CitizensApp state={state} now={now} focusId={pointFromPath(location.pathname)} />, root)
