import { describe, expect, it } from 'vitest'
import { createGroupCommit } from './group-commit.ts'

/** A commit that records its groups and resolves when the test says so. */
function controlledCommit() {
  const groups: number[][] = []
  const pending: { finish: () => void; fail: (error: Error) => void }[] = []
  const commit = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      groups.push(items)
      pending.push({ finish: () => resolve(items.map((n) => `stored ${n}`)), fail: reject })
    })
  /** Resolves once the n-th commit (from 1) has started. */
  const started = async (n: number) => {
    while (groups.length < n) await new Promise((resolve) => setImmediate(resolve))
  }
  return { groups, pending, commit, started }
}

describe('group commit', () => {
  it('commits a message that arrives alone at once, in a group of one', async () => {
    const c = controlledCommit()
    const groups = createGroupCommit({ commit: c.commit })
    const result = groups.submit(1)
    await c.started(1)
    c.pending[0]!.finish()
    expect(await result).toBe('stored 1')
    expect(c.groups).toEqual([[1]])
  })

  it('stores what arrives while a commit runs together in the next one, each told its own result in order', async () => {
    const c = controlledCommit()
    const groups = createGroupCommit({ commit: c.commit })
    const settled: string[] = []
    const submit = (n: number) => groups.submit(n).then((r) => void settled.push(r))
    const first = submit(1)
    await c.started(1)
    const rest = [2, 3, 4].map(submit)
    expect(groups.waiting()).toBe(3)
    c.pending[0]!.finish()
    await first
    await c.started(2)
    c.pending[1]!.finish()
    await Promise.all(rest)
    expect(c.groups).toEqual([[1], [2, 3, 4]])
    expect(settled).toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4'])
  })

  it('never runs two commits at once and keeps groups within maxItems', async () => {
    const c = controlledCommit()
    const groups = createGroupCommit({ commit: c.commit, maxItems: 2 })
    const all = [1, 2, 3, 4, 5].map((n) => groups.submit(n))
    for (let n = 1; n <= 3; n++) {
      await c.started(n)
      expect(c.groups).toHaveLength(n)
      c.pending[n - 1]!.finish()
    }
    expect(await Promise.all(all)).toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4', 'stored 5'])
    expect(c.groups).toEqual([[1, 2], [3, 4], [5]])
  })

  it('fails every item of a failed commit, and goes on with the next group', async () => {
    const c = controlledCommit()
    const groups = createGroupCommit({ commit: c.commit })
    const failed = [1, 2].map((n) => groups.submit(n))
    await c.started(1)
    const later = groups.submit(3)
    c.pending[0]!.fail(new Error('disk full'))
    for (const result of failed) await expect(result).rejects.toThrow('disk full')
    await c.started(2)
    c.pending[1]!.finish()
    expect(await later).toBe('stored 3')
  })
})
