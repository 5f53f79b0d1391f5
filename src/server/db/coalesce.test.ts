// coalesce: lookups of one event-loop turn share one load; a lookup never gets the answer of a load that
// was already under way when it was asked (the property that keeps a revoke in force at the next request).
import { describe, expect, it } from 'vitest'
import { coalesce } from './coalesce.js'

const deferred = <T>() => {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('coalesce', () => {
  it('answers lookups of the same turn with one load of the distinct keys, each with its own value', async () => {
    const loads: string[][] = []
    const lookup = coalesce(async (keys: string[]) => (loads.push(keys), new Map(keys.filter((k) => k !== 'gone').map((k) => [k, `row of ${k}`]))))
    const answers = await Promise.all(['a', 'b', 'a', 'gone', 'c'].map(lookup))
    expect(answers).toEqual(['row of a', 'row of b', 'row of a', undefined, 'row of c'])
    expect(loads).toEqual([['a', 'b', 'gone', 'c']])
  })

  it('never answers a lookup from a load that started before it was asked', async () => {
    const state = { version: 1 }
    const gates: ReturnType<typeof deferred<void>>[] = []
    const lookup = coalesce(async (keys: string[]) => {
      const seen = state.version // what the database returns is fixed when the query runs
      const gate = deferred<void>()
      gates.push(gate)
      await gate.promise
      return new Map(keys.map((k) => [k, seen]))
    })
    const early = lookup('s')
    await new Promise((r) => setImmediate(r)) // the first load is now under way
    expect(gates).toHaveLength(1)
    state.version = 2 // e.g. a revoke commits
    const late = lookup('s')
    gates[0]!.resolve()
    await new Promise((r) => setImmediate(r))
    expect(gates).toHaveLength(2)
    gates[1]!.resolve()
    expect(await early).toBe(1)
    expect(await late).toBe(2)
  })

  it('rejects every lookup of a failed load, and the next turn loads afresh', async () => {
    let fail = true
    const lookup = coalesce(async (keys: string[]) => {
      if (fail) throw new Error('database down')
      return new Map(keys.map((k) => [k, k]))
    })
    const results = await Promise.allSettled([lookup('a'), lookup('b')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    fail = false
    expect(await lookup('a')).toBe('a')
  })

  it('splits a turn into loads of at most maxKeys keys', async () => {
    const sizes: number[] = []
    const lookup = coalesce(async (keys: number[]) => (sizes.push(keys.length), new Map(keys.map((k) => [k, k * 2]))), 3)
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map(lookup))).toEqual([2, 4, 6, 8, 10, 12, 14])
    expect(sizes).toEqual([3, 3, 1])
  })
})
