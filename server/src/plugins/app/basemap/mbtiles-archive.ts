import Database from 'better-sqlite3'

/** What the archive's tiles are, from its `format` metadata (the MBTiles 1.3 values). */
export type TileFormat = 'pbf' | 'png' | 'jpg' | 'webp'

const CONTENT_TYPE: Record<TileFormat, string> = {
  pbf: 'application/vnd.mapbox-vector-tile',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
}

export interface Tile {
  data: Buffer
  contentType: string
  /** `gzip` when the bytes are gzip'd (vector tiles usually are, in MBTiles): sent as they are, with Content-Encoding. */
  encoding: 'gzip' | undefined
}

export interface MbtilesArchive {
  readonly format: TileFormat
  readonly minzoom: number
  readonly maxzoom: number
  readonly attribution: string | undefined
  /** The tile at z/x/y in XYZ numbering (y from the north), or null when the archive has none there. */
  tile(z: number, x: number, y: number): Tile | null
  close(): void
}

export class ArchiveError extends Error {
  override name = 'ArchiveError'
}

/**
 * An MBTiles file (SQLite: `metadata` name/value rows and a `tiles` table in TMS numbering, y from the
 * south), opened read-only: the IOC serves it and never changes it. Throws ArchiveError, naming the
 * file, when it is not an archive this can serve.
 */
export function openMbtiles(file: string): MbtilesArchive {
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new ArchiveError(`basemap archive ${file}: ${(error as Error).message}`)
  }
  try {
    const metadata = new Map((db.prepare('SELECT name, value FROM metadata').all() as Array<{ name: string; value: string }>).map((row) => [row.name, row.value]))
    const format = metadata.get('format') === 'jpeg' ? 'jpg' : metadata.get('format')
    if (!format || !(format in CONTENT_TYPE)) {
      throw new ArchiveError(`basemap archive ${file}: its metadata "format" is ${format ? `"${format}"` : 'missing'}; expected pbf, png, jpg or webp`)
    }
    const zoomOf = (name: string, fallback: number) => {
      const value = Number(metadata.get(name))
      return Number.isInteger(value) && value >= 0 && value <= 24 ? value : fallback
    }
    const range = db.prepare('SELECT min(zoom_level) AS minzoom, max(zoom_level) AS maxzoom FROM tiles').get() as { minzoom: number | null; maxzoom: number | null }
    const select = db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?')
    const contentType = CONTENT_TYPE[format as TileFormat]
    return {
      format: format as TileFormat,
      minzoom: zoomOf('minzoom', range.minzoom ?? 0),
      maxzoom: zoomOf('maxzoom', range.maxzoom ?? 14),
      attribution: metadata.get('attribution'),
      tile(z, x, y) {
        // TMS rows count from the south: row = 2^z − 1 − y.
        const row = select.get(z, x, 2 ** z - 1 - y) as { data: Buffer } | undefined
        if (!row) return null
        // gzip's magic number: tilemaker and Planetiler gzip vector tiles, some tools do not.
        const gzipped = row.data.length > 2 && row.data[0] === 0x1f && row.data[1] === 0x8b
        return { data: row.data, contentType, encoding: gzipped ? 'gzip' : undefined }
      },
      close: () => db.close(),
    }
  } catch (error) {
    db.close()
    if (error instanceof ArchiveError) throw error
    throw new ArchiveError(`basemap archive ${file} is not an MBTiles archive: ${(error as Error).message}`)
  }
}
