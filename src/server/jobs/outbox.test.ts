import { describe, expect, it } from 'vitest'
import { backoffMs } from './outbox.js'

describe('backoffMs', () => {
  it('starts at 5 seconds and doubles with each attempt', () => {
    expect([1, 2, 3, 4, 5].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000])
  })

  it('never shrinks from one attempt to the next', () => {
    for (let attempt = 1; attempt < 60; attempt++) expect(backoffMs(attempt + 1)).toBeGreaterThanOrEqual(backoffMs(attempt))
  })

  it('caps at 10 minutes, however many attempts', () => {
    expect(backoffMs(8)).toBe(600_000) // 5 s · 2^7 = 640 s, capped
    expect(backoffMs(7)).toBe(320_000)
    for (const attempt of [9, 20, 100, 1_000, 10_000]) expect(backoffMs(attempt)).toBe(600_000)
  })
})
