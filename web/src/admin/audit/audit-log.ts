import type { AuditEntry } from '@ioc/shared'

/** The `before` for the next page: the smallest id shown (entries come newest first). */
export function nextBefore(entries: readonly AuditEntry[]): number | undefined {
  let smallest: number | undefined
  for (const entry of entries) if (smallest === undefined || entry.id < smallest) smallest = entry.id
  return smallest
}

/** Entries after a "load more": the new page appended, any entry already shown (a concurrent write) kept once. */
export function appendPage(shown: readonly AuditEntry[], page: readonly AuditEntry[]): AuditEntry[] {
  const seen = new Set(shown.map((e) => e.id))
  return [...shown, ...page.filter((e) => !seen.has(e.id))]
}

/** The entry's detail object on one line ("role: operator, areaId: 49480"), or '' when it has none. */
export function detailText(detail: AuditEntry['detail']): string {
  if (!detail) return ''
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ')
}
