// Groups the lookups asked for in one event-loop turn into one query: one round trip for every request that
// arrived together, instead of one each. A lookup never joins a query already sent, so every answer was read
// after it was asked for: this batches, it never caches.
type Waiter<V> = { resolve: (value: V | undefined) => void; reject: (err: unknown) => void }

export function coalesce<K, V>(load: (keys: K[]) => Promise<Map<K, V>>, maxKeys = 500): (key: K) => Promise<V | undefined> {
  let batch: Map<K, Waiter<V>[]> | undefined
  const run = async (waiting: Map<K, Waiter<V>[]>) => {
    try {
      const found = await load([...waiting.keys()])
      for (const [key, waiters] of waiting) for (const w of waiters) w.resolve(found.get(key))
    } catch (err) {
      for (const waiters of waiting.values()) for (const w of waiters) w.reject(err)
    }
  }
  return (key) =>
    new Promise((resolve, reject) => {
      if (!batch || batch.size >= maxKeys) {
        const next = new Map<K, Waiter<V>[]>()
        batch = next
        setImmediate(() => {
          if (batch === next) batch = undefined
          void run(next)
        })
      }
      const waiters = batch.get(key)
      if (waiters) waiters.push({ resolve, reject })
      else batch.set(key, [{ resolve, reject }])
    })
}
