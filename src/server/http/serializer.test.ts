// The response writer: only what the schema names leaves the server, however the value was built.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { FieldValue } from '../../shared/contracts/common.js'
import { serializerCompiler } from './serializer.js'

const write = (schema: z.ZodType, value: unknown) => (serializerCompiler({ schema, method: 'GET', url: '/', httpStatus: '200' }) as (v: unknown) => string)(value)

const Item = z.object({ id: z.uuid(), ownerId: z.uuid().nullable(), status: z.enum(['on_track', 'done']), format: z.string(), pattern: z.number() })
const Page = z.object({ items: z.array(Item), owner: z.object({ name: z.string() }).nullable(), meta: z.record(z.string(), z.number()) })
const id = '6f1c2b7e-3d4a-4b5c-9d8e-7f6a5b4c3d2e'

describe('serializerCompiler', () => {
  it('writes exactly the named properties, at every depth, dropping anything else', () => {
    const value = {
      items: [{ id, ownerId: null, status: 'done', format: 'pdf', pattern: 3, internal_notes: 'secret', budget: 1200 }],
      owner: { name: 'Dana', passwordHash: 'scrypt$…' },
      meta: { files: 2 },
      secret: 'x',
    }
    expect(JSON.parse(write(Page, value))).toEqual({ items: [{ id, ownerId: null, status: 'done', format: 'pdf', pattern: 3 }], owner: { name: 'Dana' }, meta: { files: 2 } })
  })

  it('writes nullable values both ways', () => {
    const out = JSON.parse(write(Page, { items: [{ id, ownerId: id, status: 'on_track', format: '', pattern: 0 }], owner: null, meta: {} }))
    expect(out.items[0].ownerId).toBe(id)
    expect(out.owner).toBeNull()
  })

  it('writes field values of every kind (a union of scalars) unchanged', () => {
    const Values = z.object({ values: z.record(z.string(), FieldValue) })
    const values = { due: '2027-03-01', budget: 120000, signed: false, notes: null, zero: 0, empty: '' }
    expect(JSON.parse(write(Values, { values }))).toEqual({ values })
  })

  it('refuses a value that lacks a required property instead of writing half of it', () => {
    expect(() => write(Page, { items: [], meta: {} })).toThrow(/owner/)
  })
})
