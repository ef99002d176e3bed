import Type, { type Static } from 'typebox'
import type { FloodForecast } from './rise-forecast.ts'

/**
 * A station's forecast as the API carries it (`floodForecast`, rise-forecast.ts): when the water would
 * reach the next alarm level if it kept rising as over the last hour; null when withheld.
 */
export const FloodForecastSchema = Type.Union(
  [
    Type.Object({
      level: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: 'The level reached next: 1–3 for BĐ1–BĐ3' }),
      at: Type.String({ format: 'date-time', description: 'When, rounded to 5 minutes' }),
      minutes: Type.Integer({ minimum: 5, description: 'How long after the newest reading, rounded to 5 minutes' }),
      ratePerHour: Type.Number({ description: 'The rise over the last hour, cm/h' }),
    }),
    Type.Null(),
  ],
  { description: 'When the water would reach the next alarm level at the last hour\'s rise; null when the rise is not clear of the sensor\'s noise, the water falls, is steady, is at BĐ3, or the level is over 3 hours away' },
)
// The schema and the pure function's type describe one thing: a drift between them fails to compile.
const _sameShape: Static<typeof FloodForecastSchema> extends FloodForecast | null ? (FloodForecast | null extends Static<typeof FloodForecastSchema> ? true : never) : never = true
void _sameShape
