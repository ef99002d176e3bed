import { OperationNodeTransformer, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type PrimitiveValueListNode, type QueryResult, type RootOperationNode, type UnknownRow, type ValueNode } from 'kysely'

/** U+FFFD REPLACEMENT CHARACTER: what stands in for a NUL in stored text. */
export const NUL_REPLACEMENT = '\uFFFD'

/** `value` with every U+0000 replaced; anything but a string (or an array of them) as it is. */
export function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', NUL_REPLACEMENT) : value
  if (Array.isArray(value) && value.some((item) => typeof item === 'string' && item.includes('\u0000'))) return value.map(withoutNul)
  return value
}

class NulFreeTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = withoutNul(node.value)
    return value === node.value ? node : Object.freeze({ ...node, value })
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    const values = node.values.map(withoutNul)
    return values.every((value, i) => value === node.values[i]) ? node : Object.freeze({ ...node, values: Object.freeze(values) })
  }
}

/**
 * Replaces U+0000 (NUL) in every string a query sends — inserted, updated or compared, on both
 * engines. PostgreSQL refuses NUL in text (SQLSTATE 22021), so a NUL from anywhere made the write fail:
 * a device's topic or a JSON.parse error quoting its payload in a dead letter (retried forever, holding
 * every reading behind it), a user's name, an alarm note. SQLite keeps NUL, but its text functions stop
 * at one; both engines store the same so that the same contract holds on each.
 *
 * Replaced with U+FFFD rather than stripped: stripping joins the characters around the NUL and can
 * turn one string into another that exists ("tam\0ky" into "tamky", "ad\0min" into "admin"); U+FFFD
 * keeps it visibly different, and is what a UTF-8 decoder already writes for what it cannot represent.
 * Escaping it as the text `\u0000` would be ambiguous with a user who typed those six characters.
 * Values compared are replaced the same way, so a lookup still finds what was stored. Byte payloads
 * (blobs) are not text and are kept as sent.
 */
export class NulFreeTextPlugin implements KyselyPlugin {
  readonly #transformer = new NulFreeTransformer()

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId)
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}
