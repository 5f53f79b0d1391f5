// Responses are written by fast-json-stringify, compiled once per route from the zod schema's JSON Schema.
// Like zod's parse it emits only the properties the schema names (the allow-list); unlike parse + stringify
// it does not walk the value twice, which was a quarter of a large staff page's time.
import fastJson from 'fast-json-stringify'
import type { FastifyReply } from 'fastify'
import type { FastifySerializerCompiler } from 'fastify/types/schema.js'
import { z } from 'zod'

type Json = { [key: string]: unknown }

const SCHEMA_MAPS = new Set(['properties', 'definitions', '$defs', 'patternProperties'])

/**
 * Formats and patterns only constrain values; writing does not need them, and fast-json-stringify checks them
 * (with ajv) for every value of a `T | null` union. `T | null` of one plain type becomes a type list.
 * `additionalProperties: false` goes too: the writer ignores unnamed properties anyway, while in a union
 * branch it would make a value with an extra property match no branch (zod would strip it).
 */
function forWriting(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forWriting)
  if (!schema || typeof schema !== 'object') return schema
  const out: Json = {}
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === 'format' || key === 'pattern' || (key === 'additionalProperties' && value === false)) continue
    out[key] = SCHEMA_MAPS.has(key) ? Object.fromEntries(Object.entries(value as Json).map(([name, s]) => [name, forWriting(s)])) : forWriting(value)
  }
  const branches = out.anyOf as Json[] | undefined
  if (branches?.length === 2 && branches.every((b) => typeof b.type === 'string' && Object.keys(b).length === 1) && branches.some((b) => b.type === 'null')) {
    delete out.anyOf
    out.type = branches.map((b) => b.type)
  }
  return out
}

const writers = new WeakMap<z.ZodType, (value: unknown) => string>()

/** The writer of `schema`'s values, compiled once per schema: for routes, cached portal views and responses put together from parts (see sendJsonText). */
export function writerFor(schema: z.ZodType): (value: unknown) => string {
  let writer = writers.get(schema)
  if (!writer) {
    writer = fastJson(forWriting(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-7' })) as fastJson.AnySchema)
    writers.set(schema, writer)
  }
  return writer
}

export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => writerFor(schema)

/** A body that is JSON text already (parts written by writerFor, lists by db/json-array.ts), sent as it is. */
export const sendJsonText = (reply: FastifyReply, text: string) => reply.type('application/json; charset=utf-8').send(text)
