import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { backupSnapshotFiles, restoreSnapshotFiles, snapshotsBackupOf } from './snapshot-files-backup.ts'

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-snapshot-backup-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

describe('snapshot files in backups', () => {
  it('copies the pictures beside the database backup, without a write under way, and puts them back on restore', async () => {
    const root = folder()
    const dataDir = join(root, 'data')
    mkdirSync(join(dataDir, 'snapshots', 'cam-cau-tam-ky'), { recursive: true })
    writeFileSync(join(dataDir, 'snapshots', 'cam-cau-tam-ky', '1000.jpg'), 'picture 1000')
    writeFileSync(join(dataDir, 'snapshots', 'cam-cau-tam-ky', '.2000.ab12.tmp'), 'half a picture')
    const backupFile = join(root, 'backups', 'ioc-20261207T050000Z.sqlite')

    expect(await backupSnapshotFiles(dataDir, backupFile)).toEqual({ dir: join(root, 'backups', 'ioc-20261207T050000Z.snapshots'), files: 1, bytes: 12 })
    expect(readdirSync(join(snapshotsBackupOf(backupFile), 'cam-cau-tam-ky'))).toEqual(['1000.jpg'])

    // Later pictures, then a restore: the backup's come back, the replaced ones are kept aside.
    writeFileSync(join(dataDir, 'snapshots', 'cam-cau-tam-ky', '3000.jpg'), 'picture 3000')
    const restored = await restoreSnapshotFiles(backupFile, dataDir, '20261207T060000Z')
    expect(restored).toEqual({ files: 1, keptAs: join(dataDir, 'snapshots.before-restore-20261207T060000Z') })
    expect(readdirSync(join(dataDir, 'snapshots', 'cam-cau-tam-ky'))).toEqual(['1000.jpg'])
    expect(readFileSync(join(dataDir, 'snapshots', 'cam-cau-tam-ky', '1000.jpg'), 'utf8')).toBe('picture 1000')
    expect(readdirSync(join(restored!.keptAs!, 'cam-cau-tam-ky')).sort()).toEqual(['.2000.ab12.tmp', '1000.jpg', '3000.jpg'])
  })

  it('does nothing without snapshots: none to back up, none in an older backup to restore', async () => {
    const root = folder()
    expect(await backupSnapshotFiles(join(root, 'data'), join(root, 'b.sqlite'))).toBeUndefined()
    expect(await restoreSnapshotFiles(join(root, 'b.sqlite'), join(root, 'data'), 'x')).toBeUndefined()
  })
})
