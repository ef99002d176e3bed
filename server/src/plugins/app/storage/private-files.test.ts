import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPrivateFile, ensurePrivateDir, matchCompanionModes } from './private-files.ts'

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8)

describe('owner-only store files', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-private-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('creates a missing directory, parents included, for its owner only', () => {
    const data = join(dir, 'srv', 'data')
    ensurePrivateDir(data)
    expect(mode(data)).toBe('700')
  })

  it('leaves the mode of a directory that already exists', () => {
    const data = join(dir, 'shared-with-backup-group')
    mkdirSync(data)
    chmodSync(data, 0o750)
    ensurePrivateDir(data)
    expect(mode(data)).toBe('750')
  })

  it('creates an empty file for its owner only, and leaves an existing one untouched', () => {
    const file = join(dir, 'ioc.sqlite')
    createPrivateFile(file)
    expect(mode(file)).toBe('600')
    expect(statSync(file).size).toBe(0)

    const existing = join(dir, 'old.sqlite')
    writeFileSync(existing, 'kept')
    chmodSync(existing, 0o640)
    createPrivateFile(existing)
    expect(mode(existing)).toBe('640')
    expect(statSync(existing).size).toBe(4)
  })

  it("gives the -wal and -shm files the database's mode, and minds none missing", () => {
    const file = join(dir, 'ioc.sqlite')
    createPrivateFile(file)
    writeFileSync(`${file}-wal`, '')
    chmodSync(`${file}-wal`, 0o644)
    matchCompanionModes(file)
    expect(mode(`${file}-wal`)).toBe('600')
  })
})
