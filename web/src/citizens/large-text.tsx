import { signal } from '@preact/signals'
import { pt } from './citizens-lang.ts'

const STORAGE_KEY = 'ioc.muc-nuoc.large-text'
/** On `<html>`: every size on the page is in rem, so this one class makes all of it larger. */
const CLASS = 'large-text'

function stored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1'
  } catch {
    return false
  }
}

/** Whether the reader chose large text on this phone (kept across visits). */
export const largeText = signal(false)

/** Applies the reader's earlier choice; called before the first render, so the page never jumps. */
export function restoreLargeText(): void {
  largeText.value = stored()
  document.documentElement.classList.toggle(CLASS, largeText.value)
}

function setLargeText(on: boolean): void {
  largeText.value = on
  document.documentElement.classList.toggle(CLASS, on)
  try {
    localStorage.setItem(STORAGE_KEY, on ? '1' : '0')
  } catch {
    // Private mode without storage: the choice lasts for this visit.
  }
}

/** A toggle button ("Chữ to"): pressed, the whole page is larger; the browser's own zoom still works too. */
export function LargeTextSwitch() {
  return (
    <button type="button" class="text-switch" aria-pressed={largeText.value} onClick={() => setLargeText(!largeText.value)}>
      <span aria-hidden="true" class="text-switch-icon">
        A<span>A</span>
      </span>{' '}
      {pt('text.large')}
    </button>
  )
}
