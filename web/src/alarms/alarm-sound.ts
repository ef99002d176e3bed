import { signal } from '@preact/signals'

const STORAGE_KEY = 'ioc.alarmSound'

function storedMuted(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'muted'
  } catch {
    // Storage can be disabled: the sound is on, and the choice holds for this page only.
    return false
  }
}

/** Whether the BĐ3 cue is muted on this browser (remembered across visits). */
export const muted = signal(storedMuted())

export function setMuted(next: boolean): void {
  muted.value = next
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next ? 'muted' : 'on')
  } catch {
    // Not remembered; still muted for this page.
  }
}

let context: AudioContext | null = null

/**
 * Browsers allow audio only after the user has interacted with the page, so the context is made (or
 * resumed) on the first click or key press; until then a cue is skipped, quietly.
 */
export function unlockAudio(): void {
  if (!context && typeof globalThis.AudioContext === 'function') context = new AudioContext()
  // A refused resume leaves the context suspended: the next gesture tries again.
  if (context?.state === 'suspended') context.resume().catch(() => undefined)
}

/**
 * A short two-note chime (880 Hz then 660 Hz, about 0.6 s), generated rather than loaded, with soft
 * attack and release so it alerts without startling. Silent when muted or while audio is locked.
 */
export function playTopLevelCue(): void {
  if (muted.peek()) return
  const ctx = context
  if (!ctx || ctx.state !== 'running') return
  const start = ctx.currentTime + 0.02
  const notes: Array<[frequency: number, at: number]> = [
    [880, 0],
    [660, 0.3],
  ]
  for (const [frequency, at] of notes) {
    const oscillator = ctx.createOscillator()
    const gain = ctx.createGain()
    oscillator.type = 'sine'
    oscillator.frequency.value = frequency
    gain.gain.setValueAtTime(0, start + at)
    gain.gain.linearRampToValueAtTime(0.25, start + at + 0.03)
    gain.gain.exponentialRampToValueAtTime(0.001, start + at + 0.28)
    oscillator.connect(gain).connect(ctx.destination)
    oscillator.start(start + at)
    oscillator.stop(start + at + 0.3)
  }
}
