/**
 * A dynamic import (or any load) made once and shared by every caller; a failed load is forgotten,
 * so the next call — a retry button — tries again instead of failing forever.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null
      throw error
    })
    return loading
  }
}
