import { signal } from '@preact/signals'
import { render } from 'preact'
import { createFloodState } from './flood-state.ts'
import { CitizensApp, pointFromPath } from './citizens-app.tsx'
import { syncHtmlLang } from './citizens-lang.ts'
import { startCitizensLive } from './citizens-live.ts'
import { createPublicCameras } from './public-cameras.tsx'
import { snapshotInPage } from './flood-api.ts'
import { restoreLargeText } from './large-text.tsx'
import { registerOfflineWorker } from './offline-worker.ts'
import './citizens.css'

/** "3 phút trước" is re-worded this often. */
const CLOCK_TICK_MS = 15_000

syncHtmlLang()
restoreLargeText()

const state = createFloodState()
// The server wrote the levels into the page and the data beside them: start from those, as of when
// they were made (a page the service worker kept may be hours old, and must say so).
const snapshot = snapshotInPage(document)
if (snapshot) state.loaded(snapshot, Date.parse(snapshot.generatedAt))
const now = signal(Date.now())
setInterval(() => (now.value = Date.now()), CLOCK_TICK_MS)
const cameras = createPublicCameras()
startCitizensLive(state, cameras)
registerOfflineWorker()

const root = document.getElementById('app')
if (!root) throw new Error('#app is missing from public.html')
// Replaces the server's HTML of the same levels with the live page.
root.replaceChildren()
render(<CitizensApp state={state} cameras={cameras.cameras} now={now} focusId={pointFromPath(location.pathname)} />, root)
